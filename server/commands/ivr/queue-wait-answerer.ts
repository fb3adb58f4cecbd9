import type { Language } from "../../../entities/enums.js";
import { queueWaitTwiml } from "../../../ivr-flows/queue.js";
import { flowUrls } from "../../../ivr-flows/urls.js";
import type { AppContext } from "../../context.js";
import { deskQueuePosition } from "../../domain/desk-order.js";
import { speakersOnDuty } from "../../domain/offer-targets.js";
import { generalQueueJoiner } from "./general-queue-joiner.js";

export interface QueueWaitProps {
  callSid: string | null;
  language: Language | null;
  callbackOffered: boolean;
  /** The wait URL of the technical fallback's desk-general (q=general): the desk may not know the caller is there. */
  general: boolean;
  from: string | null;
  to: string | null;
  /** Twilio's QueuePosition: its FIFO, which is not who the desk serves next; used only when the desk cannot tell. */
  twilioPosition: number | null;
  /** Twilio's CurrentQueueSize: how many callers its queue really holds. */
  queueSize: number | null;
  averageWaitSeconds: number | null;
  waitedSeconds: number | null;
}

/**
 * <Enqueue waitUrl> (https://www.twilio.com/docs/voice/twiml/enqueue#waiturl): the caller hears their place in the
 * desk's order (server/domain/desk-order.ts), the one agents are offered calls in, so a caller put back at the front
 * after a missed agent hears "first" although Twilio enqueued them again at the back. Never more than Twilio's
 * CurrentQueueSize (same page, waitUrl parameters): a call row still "queued" for a caller Twilio no longer holds (its
 * end not reported yet) must not push anyone back. Stores nothing, but for a caller of the general queue the desk
 * did not know was there. The estimate counts only the agents on duty who speak the caller's language.
 */
export async function queueWaitAnswerer(context: AppContext, props: QueueWaitProps): Promise<string> {
  if (props.general && props.callSid) await generalQueueJoiner(context, { callSid: props.callSid, from: props.from, to: props.to, language: props.language });
  const desk = props.callSid ? await deskQueuePosition(context.dataSource.manager, props.callSid) : null;
  const position = desk !== null && props.queueSize !== null && props.queueSize > 0 ? Math.min(desk, props.queueSize) : desk;
  const speakers = await speakersOnDuty(context.dataSource.manager, props.language);
  return queueWaitTwiml({ ...props, position: position ?? props.twilioPosition, speakersOnDuty: speakers }, flowUrls(context.baseUrl)).toString();
}
