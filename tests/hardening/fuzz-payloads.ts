import { gzipSync } from "node:zlib";
import twilio from "twilio";
import { STEPS } from "../../ivr-flows/index.js";
import { TWILIO_MOUNT, TWILIO_ROUTES } from "../../ivr-flows/urls.js";

/** mulberry32: a small seeded PRNG, so a failing payload is reproduced by its seed and index. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const chance = (rng: Rng, p: number) => rng() < p;
const hex = (rng: Rng, length: number) => Array.from({ length }, () => "0123456789abcdef"[Math.floor(rng() * 16)]).join("");

/** A fresh, well-formed CallSid. */
export const newCallSid = (rng: Rng) => `CA${hex(rng, 32)}`;

/** Values that have broken parsers, templates and databases before. */
const NASTY = [
  "", " ", "anonymous", "null", "undefined", "NaN", "-1", "0", "1e309", "Infinity", "true", "[]", "{}",
  "９９", "٣٣", "<Say>hi</Say>", "]]>", "&amp;", "' OR 1=1 --", "\"; DROP TABLE calls; --", "\u0000", "\u202e", "😀📞",
  "Ωmega ü é ß", "%00", "%", "../../etc/passwd", "${jndi:ldap://x}", "{{7*7}}", "constructor", "__proto__", "toString",
  "A".repeat(300), "9".repeat(60), "\r\nX-Injected: 1",
];
const DIGITS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "#", "*", "11", "1#", "", "12", "99", "0000", "123456", "*#", "1 2", "abc", "١", "+", "1".repeat(41), "1234567890".repeat(6)];
const FROMS = ["+32470999001", "0470 99 90 01", "+32 (0)3 123 45 67", "anonymous", "", "+", "client:agent-1", "sip:x@evil.example", "+999999999999999999", "266696687", "Unknown", "+3247099900１"];
const STATUSES = ["completed", "busy", "no-answer", "failed", "canceled", "in-progress", "ringing", "queued", "answered", "COMPLETED"];
const QUEUE_RESULTS = ["bridged", "hangup", "leave", "redirected", "queue-full", "system-error", "error", "bridging-in-process"];
const LANGS = ["nl", "fr", "en", "de", "xx", "", "NL", "nl-BE"];
const STEP_NAMES = Object.keys(STEPS);
const TWILIO_KEYS = ["CallSid", "AccountSid", "From", "To", "Caller", "Called", "CallStatus", "Direction", "Digits", "SpeechResult", "CallDuration", "QueueResult", "QueueTime", "QueuePosition", "AvgQueueTime", "RecordingUrl", "RecordingSid", "RecordingDuration", "ApiVersion", "FromCountry"];
const UNKNOWN_PATHS = ["", "/", "/nowhere", "/voice/extra", "//voice", "/VOICE", "/ivr", "/ivr/", "/ivr/a/b", "/queue", "/queue/wait/", "/status.php", "/ivr/%E0%A4%A", "/ivr/%00", `/${"x".repeat(2000)}`, "/recording;jsessionid=1", "/connect-agent/1"];

/** A value for a Twilio parameter: mostly plausible, sometimes nasty, rarely huge. */
function valueFor(rng: Rng, key: string): string {
  if (chance(rng, 0.2)) return pick(rng, NASTY);
  if (chance(rng, 0.005)) return "x".repeat(17_000);
  switch (key) {
    case "CallSid": return chance(rng, 0.9) ? newCallSid(rng) : pick(rng, ["CA", "ca" + hex(rng, 32), "CA" + hex(rng, 80), "RE" + hex(rng, 32)]);
    case "From": case "Caller": return pick(rng, FROMS);
    case "To": case "Called": return pick(rng, ["+3232000000", "+3232000001", "", "anonymous"]);
    case "Digits": return pick(rng, DIGITS);
    case "CallStatus": return pick(rng, STATUSES);
    case "QueueResult": return pick(rng, QUEUE_RESULTS);
    case "RecordingUrl": return pick(rng, ["https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1", "javascript:alert(1)", "http://127.0.0.1:6379/", "file:///etc/passwd"]);
    default: return pick(rng, ["0", "1", "42", "-5", "3.5", "999999999999", "abc", "", "30"]);
  }
}

/** One request of the fuzz: everything needed to send it and to sign it. */
export interface FuzzRequest {
  method: string;
  /** Path and query, under the server's base URL. */
  path: string;
  headers: Record<string, string>;
  body: Buffer | string | undefined;
  /** What the server will read as POST parameters (signed); {} when the body is not a form. */
  params: Record<string, string | string[]>;
  /** The endpoint it aims at, for the per-endpoint counts. */
  endpoint: string;
}

/** Folds key/value pairs the way the form parser does: repeated keys become arrays; "" and __proto__ are dropped. */
export function foldParams(pairs: [string, string][]): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of pairs) {
    if (key === "" || key === "__proto__") continue;
    const existing = Object.hasOwn(params, key) ? params[key] : undefined;
    params[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}

const ROUTE_NAMES = Object.keys(TWILIO_ROUTES) as (keyof typeof TWILIO_ROUTES)[];

/** A random, often malformed request to one of the Twilio endpoints (or a path next to them). */
export function randomRequest(rng: Rng, ids: { agentId: number; callbackId: number; knownCallSids: readonly string[] }): FuzzRequest {
  let endpoint: string;
  let path: string;
  if (chance(rng, 0.12)) {
    endpoint = "unknown";
    path = pick(rng, UNKNOWN_PATHS);
  } else {
    const name = pick(rng, ROUTE_NAMES);
    endpoint = name;
    path = TWILIO_ROUTES[name].replace(":step", chance(rng, 0.8) ? pick(rng, STEP_NAMES) : encodeURIComponent(pick(rng, NASTY)) || "x");
  }
  const query = new URLSearchParams();
  const queryKeys = ["seq", "lang", "cb", "agentId", "callbackId", "extra"];
  for (const key of queryKeys) {
    if (!chance(rng, 0.45)) continue;
    const value =
      key === "lang" ? pick(rng, LANGS)
      : key === "agentId" ? pick(rng, [String(ids.agentId), "0", "-1", "abc", "99999999999", ""])
      : key === "callbackId" ? pick(rng, [String(ids.callbackId), "0", "x", "2147483648"])
      : key === "seq" ? pick(rng, ["1", "2", "0", "-1", "1.5", "abc", "99999999999"])
      : pick(rng, ["0", "1", "2", ...NASTY.slice(0, 10)]);
    query.append(key, value);
    if (chance(rng, 0.1)) query.append(key, value + "1");
  }
  const search = query.toString();
  path = `${TWILIO_MOUNT}${path}${search ? `?${search}` : ""}`;

  const pairs: [string, string][] = [];
  const keyCount = Math.floor(rng() * 8);
  for (let i = 0; i < keyCount; i++) {
    const key = chance(rng, 0.85) ? pick(rng, TWILIO_KEYS) : pick(rng, ["", "__proto__", "constructor", "hasOwnProperty", "a[b]", "a[]", "toString", "Digits ", "digits", "😀", "x".repeat(100)]);
    pairs.push([key, valueFor(rng, key)]);
  }
  if (chance(rng, 0.85) && !pairs.some(([key]) => key === "CallSid")) pairs.unshift(["CallSid", chance(rng, 0.5) && ids.knownCallSids.length > 0 ? pick(rng, ids.knownCallSids) : newCallSid(rng)]);
  if (chance(rng, 0.01)) for (let i = 0; i < 120; i++) pairs.push([`K${i}`, "v"]);

  const method = chance(rng, 0.85) ? "POST" : pick(rng, ["GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
  const form = new URLSearchParams(pairs).toString();
  const formParams = foldParams([...new URLSearchParams(form).entries()]);
  const formType = "application/x-www-form-urlencoded";
  const bodyless = method === "GET" || method === "HEAD";
  const variant = bodyless ? "none" : pick(rng, ["form", "form", "form", "form", "form", "form", "form", "form", "form", "form", "form", "form", "json", "text", "untyped", "gzip", "badgzip", "utf16", "percent", "empty", "charset"] as const);
  switch (variant) {
    case "none": return { method, path, headers: {}, body: undefined, params: {}, endpoint };
    case "form": return { method, path, headers: { "content-type": formType }, body: form, params: formParams, endpoint };
    case "charset": return { method, path, headers: { "content-type": `${formType}; charset=utf-8` }, body: form, params: formParams, endpoint };
    case "json": return { method, path, headers: { "content-type": "application/json" }, body: JSON.stringify(Object.fromEntries(pairs)), params: {}, endpoint };
    case "text": return { method, path, headers: { "content-type": "text/plain" }, body: form, params: {}, endpoint };
    case "untyped": return { method, path, headers: {}, body: Buffer.from(form), params: {}, endpoint };
    case "gzip": return { method, path, headers: { "content-type": formType, "content-encoding": "gzip" }, body: gzipSync(form), params: formParams, endpoint };
    case "badgzip": return { method, path, headers: { "content-type": formType, "content-encoding": pick(rng, ["gzip", "br", "compress", "identity, gzip"]) }, body: form, params: formParams, endpoint };
    case "utf16": return { method, path, headers: { "content-type": `${formType}; charset=utf-16` }, body: form, params: formParams, endpoint };
    case "percent": {
      const raw = `${form}&Digits=%E0%A4%A&From=%ZZ%&CallStatus=%`;
      return { method, path, headers: { "content-type": formType }, body: raw, params: foldParams([...(Object.entries(formParams).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])) as [string, string][]), ["Digits", "%E0%A4%A"], ["From", "%ZZ%"], ["CallStatus", "%"]]), endpoint };
    }
    case "empty": return { method, path, headers: { "content-type": formType }, body: "", params: {}, endpoint };
  }
}

/** How an unsigned request pretends: no signature, garbage, or a real signature over something else. */
export function forgedSignature(rng: Rng, authToken: string, url: string, params: Record<string, string | string[]>): string | null {
  switch (pick(rng, ["none", "none", "garbage", "otherUrl", "otherParams", "otherToken", "empty"] as const)) {
    case "none": return null;
    case "empty": return "";
    case "garbage": return pick(rng, ["not-a-signature", "AAAA", "=".repeat(28), "ÿþ", "x".repeat(500)]);
    case "otherUrl": return twilio.getExpectedTwilioSignature(authToken, url.replace("/twilio/", "/twilio-x/") + "?evil=1", params);
    case "otherParams": return twilio.getExpectedTwilioSignature(authToken, url, { ...params, Forged: "1" });
    case "otherToken": return twilio.getExpectedTwilioSignature("another-auth-token-0123", url, params);
  }
}

/** Keys a caller may press at a menu: mostly the menu's own, sometimes nonsense. */
export function menuDigits(rng: Rng, pin: string): string {
  if (chance(rng, 0.15)) return pin;
  return chance(rng, 0.75) ? pick(rng, ["1", "2", "3", "4", "1", "2", "9", "0", "#", "*"]) : pick(rng, DIGITS);
}

export { QUEUE_RESULTS, STATUSES };
