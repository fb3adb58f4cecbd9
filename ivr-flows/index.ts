import { accountDial, accountOffer, fallback, notEntitled, queue, voicemail } from "./steps/endings.js";
import { language, person, pin, pinChecked, start, unidentified } from "./steps/identification.js";
import { contactType, product, ticket, welcome, workStopped } from "./steps/request.js";
import type { Step, StepName } from "./types.js";

export * from "./types.js";

/** Every IVR step by name; the route's command runs them, applying their effects in between. */
export const STEPS: Record<StepName, Step> = {
  start,
  language,
  pin,
  pinChecked,
  person,
  unidentified,
  welcome,
  contactType,
  workStopped,
  product,
  ticket,
  queue,
  voicemail,
  notEntitled,
  accountOffer,
  accountDial,
  fallback,
};

/** True for a step name that exists and answers a <Gather> (the only ones a step URL may name). */
export function isAnswerStep(name: string): name is StepName {
  return Object.prototype.hasOwnProperty.call(STEPS, name) && typeof STEPS[name as StepName].answer === "function";
}
