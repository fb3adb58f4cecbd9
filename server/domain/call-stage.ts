import type { Call } from "../../entities/Call.js";
import type { PopStage } from "../../shared-types/console-payloads.js";

/** Where an offered caller is: only a queued caller can be connected to an agent; voicemail once the IVR sent them there. */
export function popStage(call: Pick<Call, "outcome" | "ivrStep">): PopStage {
  if (call.outcome === "queued") return "queued";
  if (call.outcome === "voicemail" || call.ivrStep === "voicemail") return "voicemail";
  return "menu";
}
