import type { Env } from "../config/env.js";
import { isSimulation } from "../config/env.js";

/**
 * What the Twilio Voice SDK 2.x reaches from the console, read from its source (@twilio/voice-sdk, regions.js and
 * audioplayer): its signalling WebSocket on the default "roaming" edge (wss://voice-js.roaming.twilio.com), the Voice
 * Insights event gateway (https://eventgw.twilio.com), and its ringtones, which it fetches by XHR from
 * https://sdk.twilio.com/js/client/sounds/… (https://www.twilio.com/docs/voice/sdks/javascript/twiliodevice). The media
 * itself (WebRTC) is not governed by the CSP. In simulation mode nothing of Twilio is opened.
 */
export const VOICE_SDK_CONNECT_SRC = ["wss://voice-js.roaming.twilio.com", "https://eventgw.twilio.com", "https://sdk.twilio.com"] as const;
export const VOICE_SDK_MEDIA_SRC = ["https://sdk.twilio.com"] as const;

export function voiceConnectSources(env: Env): string[] {
  return isSimulation(env) ? [] : [...VOICE_SDK_CONNECT_SRC];
}

export function voiceMediaSources(env: Env): string[] {
  return isSimulation(env) ? [] : [...VOICE_SDK_MEDIA_SRC];
}
