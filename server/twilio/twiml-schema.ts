import type { TwimlNode } from "./simulator.js";

/**
 * Twilio's documented Voice TwiML: which verbs a <Response> may hold, which nouns each verb nests, which attributes
 * each element takes and what values they allow. Sources, one page per element:
 * https://www.twilio.com/docs/voice/twiml (the verb list), …/twiml/say, …/twiml/play, …/twiml/pause, …/twiml/gather,
 * …/twiml/record, …/twiml/enqueue, …/twiml/leave, …/twiml/redirect, …/twiml/dial, …/twiml/number, …/twiml/client,
 * …/twiml/queue, …/twiml/conference, …/twiml/sip, …/twiml/hangup, …/twiml/reject. <Sms> is gone from Voice TwiML
 * (deprecated in favour of the Messaging API), so it is refused here.
 *
 * What a document may contain depends on where Twilio fetched it:
 * - "call": the Voice URL, an action URL, a <Redirect> — every verb;
 * - "waitUrl": the <Enqueue waitUrl> document (and what its <Gather>/<Redirect> lead to while the caller is queued):
 *   only Play, Say, Pause, Hangup, Redirect, Leave and Gather (https://www.twilio.com/docs/voice/twiml/enqueue#attributes-wait-url);
 * - "dialQueueUrl": the <Queue url> played to a dequeued caller: only Play, Say, Pause and Redirect
 *   (https://www.twilio.com/docs/voice/twiml/queue#attributes-url).
 */
export type TwimlContext = "call" | "waitUrl" | "dialQueueUrl";

type ValueRule = "url" | "method" | "boolean" | "integer" | "positiveInteger" | "number" | "digits" | "keys" | "language" | "text" | readonly string[];

interface ElementRule {
  attributes: Record<string, ValueRule>;
  /** Elements it may nest; empty: none. */
  children: readonly string[];
  /** Text content: required, allowed, or not allowed. */
  text: "required" | "allowed" | "none";
  /** When text is required, a child from `children` may stand in for it (e.g. <Enqueue><Task>, <Client><Identity>). */
  textOrChild?: boolean;
  /** A check of the text (e.g. the queue name's 64 characters). */
  checkText?: (text: string) => string | null;
}

const METHOD = ["GET", "POST"] as const;
const CALL_STATUS_EVENTS = "text"; // space-separated initiated ringing answered completed
const SSML = ["break", "emphasis", "lang", "p", "phoneme", "prosody", "s", "say-as", "sub", "w", "amazon:domain", "amazon:effect"];

export const TWIML_ELEMENTS: Record<string, ElementRule> = {
  Response: { attributes: {}, children: [], text: "none" }, // verbs: see VERBS_BY_CONTEXT
  Say: { attributes: { voice: "text", language: "language", loop: "integer" }, children: SSML, text: "required" },
  Play: { attributes: { loop: "integer", digits: "keys" }, children: [], text: "allowed" },
  Pause: { attributes: { length: "positiveInteger" }, children: [], text: "none" },
  Gather: {
    attributes: {
      action: "url", method: METHOD, actionOnEmptyResult: "boolean", finishOnKey: "keys", numDigits: "positiveInteger", timeout: "positiveInteger",
      input: ["dtmf", "speech", "dtmf speech", "speech dtmf"], language: "language", hints: "text", speechTimeout: "text", speechModel: "text",
      enhanced: "boolean", profanityFilter: "boolean", partialResultCallback: "url", partialResultCallbackMethod: METHOD, bargeIn: "boolean", debug: "boolean", dtmfDetection: "boolean",
    },
    children: ["Say", "Play", "Pause"],
    text: "none",
  },
  Record: {
    attributes: {
      action: "url", method: METHOD, timeout: "integer", finishOnKey: "keys", maxLength: "positiveInteger", playBeep: "boolean", trim: ["trim-silence", "do-not-trim"],
      recordingStatusCallback: "url", recordingStatusCallbackMethod: METHOD, recordingStatusCallbackEvent: "text", storageUrl: "url", storageUrlMethod: METHOD, transcribe: "boolean", transcribeCallback: "url",
    },
    children: [],
    text: "none",
  },
  Enqueue: {
    attributes: { action: "url", method: METHOD, waitUrl: "url", waitUrlMethod: METHOD, workflowSid: "text", maxQueueSize: "positiveInteger" },
    children: ["Task"],
    text: "required",
    textOrChild: true,
    checkText: (name) => (name.length > 64 ? `queue name longer than 64 characters (${name.length})` : null),
  },
  Task: { attributes: { priority: "integer", timeout: "positiveInteger" }, children: [], text: "required" },
  Leave: { attributes: {}, children: [], text: "none" },
  Redirect: { attributes: { method: METHOD }, children: [], text: "required" },
  Dial: {
    attributes: {
      action: "url", method: METHOD, timeout: "positiveInteger", callerId: "text", hangupOnStar: "boolean", timeLimit: "positiveInteger", record: ["do-not-record", "record-from-answer", "record-from-ringing", "record-from-answer-dual", "record-from-ringing-dual", "true", "false"],
      trim: ["trim-silence", "do-not-trim"], recordingStatusCallback: "url", recordingStatusCallbackMethod: METHOD, recordingStatusCallbackEvent: "text", recordingTrack: ["both", "inbound", "outbound"],
      answerOnBridge: "boolean", ringTone: "text", referUrl: "url", referMethod: METHOD, sequential: "boolean", callReason: "text", events: "text",
    },
    children: ["Number", "Client", "Queue", "Conference", "Sip", "Sim", "Application", "WhatsApp"],
    text: "allowed",
  },
  Number: {
    attributes: {
      sendDigits: "keys", url: "url", method: METHOD, statusCallback: "url", statusCallbackMethod: METHOD, statusCallbackEvent: CALL_STATUS_EVENTS, byoc: "text",
      machineDetection: ["Enable", "DetectMessageEnd"], amdStatusCallback: "url", amdStatusCallbackMethod: METHOD, machineDetectionTimeout: "positiveInteger",
    },
    children: [],
    text: "required",
    checkText: (number) => (/^\+?[0-9*#wW ()-]{3,32}$/.test(number) ? null : `"${number}" is not a phone number`),
  },
  Client: {
    attributes: { url: "url", method: METHOD, statusCallback: "url", statusCallbackMethod: METHOD, statusCallbackEvent: CALL_STATUS_EVENTS },
    children: ["Identity", "Parameter"],
    text: "required",
    textOrChild: true,
    checkText: (identity) => (/^[A-Za-z0-9_.@+-]{1,121}$/.test(identity) ? null : `"${identity}" is not a client identity`),
  },
  Identity: { attributes: {}, children: [], text: "required" },
  Parameter: { attributes: { name: "text", value: "text" }, children: [], text: "none" },
  Queue: { attributes: { url: "url", method: METHOD, reservationSid: "text", postWorkActivitySid: "text" }, children: [], text: "required" },
  Conference: {
    attributes: {
      muted: "boolean", beep: ["true", "false", "onEnter", "onExit"], startConferenceOnEnter: "boolean", endConferenceOnExit: "boolean", waitUrl: "url", waitMethod: METHOD, maxParticipants: "positiveInteger",
      record: ["do-not-record", "record-from-start"], region: "text", trim: ["trim-silence", "do-not-trim"], statusCallback: "url", statusCallbackMethod: METHOD, statusCallbackEvent: "text", coach: "text", jitterBufferSize: "text", participantLabel: "text",
    },
    children: [],
    text: "required",
  },
  Sip: { attributes: { username: "text", password: "text", url: "url", method: METHOD, statusCallback: "url", statusCallbackMethod: METHOD, statusCallbackEvent: CALL_STATUS_EVENTS }, children: [], text: "required" },
  Sim: { attributes: {}, children: [], text: "required" },
  Application: { attributes: { url: "url", method: METHOD, statusCallback: "url", statusCallbackMethod: METHOD, statusCallbackEvent: CALL_STATUS_EVENTS }, children: ["ApplicationSid", "Parameter"], text: "none" },
  ApplicationSid: { attributes: {}, children: [], text: "required" },
  WhatsApp: { attributes: { url: "url", method: METHOD, statusCallback: "url", statusCallbackMethod: METHOD, statusCallbackEvent: CALL_STATUS_EVENTS }, children: [], text: "required" },
  Hangup: { attributes: {}, children: [], text: "none" },
  Reject: { attributes: { reason: ["rejected", "busy"] }, children: [], text: "none" },
};

/** The verbs a <Response> may hold, by where the document was fetched (see TwimlContext). */
export const VERBS_BY_CONTEXT: Record<TwimlContext, readonly string[]> = {
  call: ["Say", "Play", "Pause", "Gather", "Record", "Enqueue", "Leave", "Redirect", "Dial", "Hangup", "Reject"],
  waitUrl: ["Play", "Say", "Pause", "Hangup", "Redirect", "Leave", "Gather"],
  dialQueueUrl: ["Play", "Say", "Pause", "Redirect"],
};

/** One thing Twilio would refuse, with where it is (e.g. "Response/Gather[1]/Say[0]"). */
export interface TwimlIssue {
  path: string;
  message: string;
}

function valueProblem(rule: ValueRule, value: string): string | null {
  if (Array.isArray(rule)) return rule.includes(value) ? null : `must be one of ${rule.join(", ")}`;
  switch (rule) {
    case "url":
      return /^(https?:\/\/[^\s]+|\/[^\s]*|[^\s:]+)$/.test(value) && value.length > 0 ? null : "is not a URL";
    case "method":
      return METHOD.includes(value as "GET") ? null : "must be GET or POST";
    case "boolean":
      return value === "true" || value === "false" ? null : "must be true or false";
    case "integer":
      return /^\d{1,6}$/.test(value) ? null : "must be a whole number";
    case "positiveInteger":
      return /^\d{1,6}$/.test(value) && Number(value) > 0 ? null : "must be a whole number above 0";
    case "number":
      return /^\d+(\.\d+)?$/.test(value) ? null : "must be a number";
    case "digits":
      return /^[0-9]*$/.test(value) ? null : "must be digits";
    case "keys":
      return /^[0-9#*wW]*$/.test(value) ? null : "must be keys of 0-9, # and *";
    case "language":
      return /^[a-z]{2,3}-[A-Z]{2}$/.test(value) ? null : "is not a language tag such as nl-BE";
    case "text":
      return null;
  }
  return null;
}

function checkElement(node: TwimlNode, path: string, issues: TwimlIssue[]): void {
  const rule = TWIML_ELEMENTS[node.name];
  if (!rule) {
    issues.push({ path, message: `<${node.name}> is not a TwiML element` });
    return;
  }
  for (const [name, value] of Object.entries(node.attrs)) {
    const attribute = rule.attributes[name];
    if (attribute === undefined) {
      issues.push({ path, message: `<${node.name}> has no attribute ${name}` });
      continue;
    }
    const problem = valueProblem(attribute, value);
    if (problem) issues.push({ path, message: `<${node.name} ${name}="${value}"> ${problem}` });
  }
  const text = node.children.length === 0 || node.name === "Say" ? node.text : ownText(node);
  if (rule.text === "none" && text !== "") issues.push({ path, message: `<${node.name}> takes no text ("${text.slice(0, 40)}")` });
  if (rule.text === "required" && text === "" && !(rule.textOrChild && node.children.length > 0)) issues.push({ path, message: `<${node.name}> needs its text (what to say, a URL, a name or a number)` });
  if (text !== "" && rule.checkText) {
    const problem = rule.checkText(text);
    if (problem) issues.push({ path, message: `<${node.name}>: ${problem}` });
  }
  node.children.forEach((child, index) => {
    const childPath = `${path}/${child.name}[${index}]`;
    if (node.name === "Say" && SSML.includes(child.name)) return; // SSML inside <Say>: Twilio's text-to-speech markup
    if (!rule.children.includes(child.name)) issues.push({ path: childPath, message: `<${child.name}> cannot be nested in <${node.name}>` });
    else checkElement(child, childPath, issues);
  });
  if (node.name === "Dial" && text !== "" && node.children.length > 0) issues.push({ path, message: "<Dial> holds either a number as text or nouns, not both" });
}

/** The text of the element itself (its TwimlNode.text also holds its children's). */
function ownText(node: TwimlNode): string {
  let text = node.text;
  for (const child of node.children) text = text.replace(child.text, "");
  return text.trim();
}

/** Every way `document` breaks Twilio's TwiML rules for a document fetched in `context`; empty when Twilio accepts it. */
export function validateTwiml(document: TwimlNode, context: TwimlContext = "call"): TwimlIssue[] {
  const issues: TwimlIssue[] = [];
  if (document.name !== "Response") return [{ path: document.name, message: "the root element is not <Response>" }];
  if (Object.keys(document.attrs).length > 0) issues.push({ path: "Response", message: "<Response> takes no attributes" });
  if (ownText(document) !== "") issues.push({ path: "Response", message: "<Response> holds verbs, not text" });
  const allowed = VERBS_BY_CONTEXT[context];
  document.children.forEach((verb, index) => {
    const path = `Response/${verb.name}[${index}]`;
    if (!TWIML_ELEMENTS[verb.name] || !VERBS_BY_CONTEXT.call.includes(verb.name)) issues.push({ path, message: `<${verb.name}> is not a TwiML verb` });
    else if (!allowed.includes(verb.name)) issues.push({ path, message: `<${verb.name}> is not allowed in a ${context === "waitUrl" ? "waitUrl" : "<Queue url>"} document (only ${allowed.join(", ")})` });
    else checkElement(verb, path, issues);
  });
  return issues;
}
