// The phone simulator on the command line: plays Twilio for one call against a running desk and prints what the
// caller hears. Usage (see --help):
//   npm run call -- --from +32470123456 --press 1,2
//   npm run call -- --from anonymous --press 1,123456,2 --queue-press 1
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { MemoryQueueRegistry, RedisCallLedger, RedisQueueRegistry, TwilioSimulator, waitForRedirect, type SimCall, type SimQueueRegistry } from "../server/twilio/simulator.js";
import { RedisSoftphoneBus } from "../server/twilio/softphone-bus.js";

const HELP = `npm run call -- --from <number> [options]

Plays Twilio's part for one call to the desk: signs each webhook with the auth token like Twilio, follows
<Gather>, <Redirect>, <Enqueue>, <Record>, <Dial>, and prints what the caller hears.

  --from <number>        caller ID (E.164, a Belgian national number, or "anonymous")   [+32470123456]
  --to <number>          the desk's number                                              [+3232000000]
  --press <keys,...>     answers to the menus in order; "-" is a silence; "123456" a PIN
                         when the keys run out at a menu, the caller hangs up
  --queue-press <key>    key pressed during the queue announcements (1 = call me back)
  --wait <seconds>       how long to wait in the queue for an agent to accept             [0]
  --talk <seconds>       how long to stay connected to the agent before hanging up       [0]
  --message <seconds>    length of the voicemail left when the desk is closed (0: none)  [10]
  --url <base url>       the desk (PUBLIC_BASE_URL of the app)                           [http://localhost:3000]
  --token <auth token>   TWILIO_AUTH_TOKEN of the app          [$TWILIO_AUTH_TOKEN or simulation-auth-token]
  --redis <url>          Redis of the app, to follow an agent's accept   [$REDIS_URL or redis://127.0.0.1:6379]
  --prefix <prefix>      REDIS_PREFIX of the app                                         [$REDIS_PREFIX or sd]`;

const { values } = parseArgs({
  options: {
    from: { type: "string", default: "+32470123456" },
    to: { type: "string", default: "+3232000000" },
    press: { type: "string", default: "" },
    "queue-press": { type: "string" },
    wait: { type: "string", default: "0" },
    talk: { type: "string", default: "0" },
    message: { type: "string", default: "10" },
    url: { type: "string", default: "http://localhost:3000" },
    token: { type: "string", default: process.env.TWILIO_AUTH_TOKEN || "simulation-auth-token" },
    redis: { type: "string", default: process.env.REDIS_URL || "redis://127.0.0.1:6379" },
    prefix: { type: "string", default: process.env.REDIS_PREFIX || "sd" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const base = values.url.replace(/\/$/, "");
const presses = values.press === "" ? [] : values.press.split(",").map((key) => key.trim());
const seconds = (value: string, name: string) => {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) {
    console.error(`--${name} must be a number of seconds`);
    process.exit(2);
  }
  return number;
};
const waitSeconds = seconds(values.wait, "wait");
const talkSeconds = seconds(values.talk, "talk");
const messageSeconds = seconds(values.message, "message");

async function connectRedis(): Promise<Redis | null> {
  const redis = new Redis(values.redis, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1500, retryStrategy: () => null });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    return redis;
  } catch {
    redis.disconnect();
    return null;
  }
}

let printed = 0;
function printHeard(call: SimCall): void {
  for (const line of call.heard.slice(printed)) {
    if (line.kind === "say") console.log(`  caller hears [${line.language ?? "?"}]: ${line.text}`);
    else if (line.kind === "play") console.log("  caller hears: (music)");
    else console.log(`  ${line.text}`);
  }
  printed = call.heard.length;
}

const redis = await connectRedis();
const queues: SimQueueRegistry = redis ? new RedisQueueRegistry(redis, values.prefix) : new MemoryQueueRegistry();
const simulator = new TwilioSimulator({
  authToken: values.token, voiceUrl: `${base}/twilio/voice`, statusUrl: `${base}/twilio/status`, queues, ledger: redis ? new RedisCallLedger(redis, values.prefix) : undefined,
  // The consoles' simulated softphones (a <Dial><Client> rings the agent's console, which answers it).
  softphones: redis ? new RedisSoftphoneBus(redis, values.prefix) : undefined,
});

console.log(`Calling ${values.to} from ${values.from} via ${base}`);
let call: SimCall;
try {
  call = await simulator.start({ from: values.from, to: values.to });
} catch (error) {
  console.error(`Cannot reach the desk at ${base}: ${(error as Error).message}`);
  redis?.disconnect();
  process.exit(1);
}
console.log(`  (CallSid ${call.callSid})`);
printHeard(call);

let queuePressed = false;
for (let guard = 0; call.status !== "ended" && guard < 200; guard++) {
  if (call.status === "gather" && call.gather) {
    const key = presses.shift();
    if (key === undefined) {
      console.log("  (no more keys: the caller hangs up)");
      await simulator.hangup(call);
    } else if (key === "-" || key === "") {
      console.log("  caller stays silent");
      await simulator.silence(call);
    } else {
      console.log(`  caller presses ${key}`);
      await simulator.press(call, key);
    }
  } else if (call.status === "queue") {
    if (values["queue-press"] && !queuePressed && call.gather) {
      queuePressed = true;
      console.log(`  caller presses ${values["queue-press"]} while waiting`);
      await simulator.press(call, values["queue-press"]);
    } else if (waitSeconds > 0 && redis) {
      console.log(`  (waiting up to ${waitSeconds}s for an agent to accept…)`);
      const url = await waitForRedirect(redis, values.prefix, call.callSid, waitSeconds * 1000, call.redirectsFollowed);
      if (url) {
        console.log("  (an agent accepted: Twilio redirects the call)");
        await simulator.redirect(call, url);
      } else {
        console.log("  (nobody accepted in time: the caller hangs up)");
        await simulator.hangup(call);
      }
    } else {
      if (waitSeconds > 0 && !redis) console.log("  (Redis not reachable: cannot follow an agent's accept)");
      console.log("  (the caller hangs up in the queue; use --wait N to wait for an agent)");
      await simulator.hangup(call);
    }
  } else if (call.status === "record") {
    if (messageSeconds > 0) {
      console.log(`  caller leaves a ${messageSeconds}s message`);
      await simulator.recordMessage(call, messageSeconds);
    } else await simulator.hangup(call);
  } else if (call.status === "dial" && call.dial && call.dial.answeredAt === null) {
    // Ringing: the agent's softphone answers (or not) in the console; Twilio gives up at the dial's timeout.
    console.log(`  (ringing ${call.dial.to} for up to ${call.dial.timeoutSeconds}s…)`);
    const dial = call.dial;
    while (call.dial === dial && dial.answeredAt === null) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await simulator.pollDial(call);
    }
  } else if (call.status === "dial") {
    console.log(`  (connected to ${call.connectedTo})`);
    const dial = call.dial;
    const until = Date.now() + talkSeconds * 1000;
    // Talks until --talk runs out or the agent hangs up.
    while (call.dial === dial && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(500, Math.max(0, until - Date.now()))));
      await simulator.pollDial(call);
    }
    if (call.dial === dial) await simulator.hangup(call);
  } else break;
  printHeard(call);
}
printHeard(call);
console.log(`Outcome: ${call.outcome}`);
redis?.disconnect();
process.exit(call.outcome.startsWith("application error") ? 1 : 0);
