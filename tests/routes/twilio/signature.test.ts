import { expect } from "chai";
import { Call } from "../../../entities/Call.js";
import { CallEvent } from "../../../entities/CallEvent.js";
import { LANGUAGES } from "../../../entities/enums.js";
import { prompt } from "../../../ivr-flows/prompts/index.js";
import { isValidTwilioSignature } from "../../../server/routes/twilio/signature.js";
import { findAll, parseTwiml } from "../../../server/twilio/simulator.js";
import { startTestServer, TEST_AUTH_TOKEN, type TestServer } from "../../support/app.js";
import { testDataSource } from "../../support/database.js";
import { callParams, newCallSid, randomMobile, signedPost } from "../../ivr/fixtures.js";

describe("Twilio webhook signatures and bad input", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => server.close());

  const stored = async (callSid: string) => (await testDataSource()).getRepository(Call).countBy({ callSid });

  it("verifies Twilio's published example signature", () => {
    const params = { CallSid: "CA1234567890ABCDE", Caller: "+14158675309", Digits: "1234", From: "+14158675309", To: "+18005551212" };
    const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    expect(isValidTwilioSignature("12345", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url, params)).to.equal(true);
    expect(isValidTwilioSignature("12345", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url, { ...params, Digits: "1235" })).to.equal(false);
    expect(isValidTwilioSignature("12346", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url, params)).to.equal(false);
    expect(isValidTwilioSignature("12345", undefined, url, params)).to.equal(false);
  });

  for (const [name, options] of [
    ["without a signature", { signature: null }],
    ["signed with another auth token", { token: "another-auth-token-123" }],
    ["signed for another URL", { signUrl: "https://evil.example/twilio/voice" }],
    ["with a garbage signature", { signature: "not-a-signature" }],
  ] as const) {
    it(`refuses a webhook ${name} with 403 and stores nothing`, async () => {
      const callSid = newCallSid();
      const response = await signedPost(`${server.url}/twilio/voice`, callParams(callSid, randomMobile()), options);
      expect(response.status).to.equal(403);
      expect(await stored(callSid)).to.equal(0);
    });
  }

  it("refuses a webhook whose parameters were changed after signing", async () => {
    const callSid = newCallSid();
    const params = callParams(callSid, randomMobile());
    const forged = { ...params, From: randomMobile() };
    const response = await signedPost(`${server.url}/twilio/voice`, forged, { signature: (await import("twilio")).default.getExpectedTwilioSignature(TEST_AUTH_TOKEN, `${server.url}/twilio/voice`, params) });
    expect(response.status).to.equal(403);
    expect(await stored(callSid)).to.equal(0);
  });

  it("refuses a signed webhook with a repeated parameter (Digits=2&Digits=2 carries the signature of Digits=2) with 400 and stores nothing", async () => {
    const twilioLib = (await import("twilio")).default;
    for (const [path, repeat] of [["/twilio/voice", "Digits"], ["/twilio/voice", "CallSid"], ["/twilio/status", "CallStatus"]] as const) {
      const callSid = newCallSid();
      const params = callParams(callSid, randomMobile(), { Digits: "2" });
      const url = `${server.url}${path}`;
      const signature = twilioLib.getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, params);
      const body = `${new URLSearchParams(params).toString()}&${new URLSearchParams({ [repeat]: params[repeat]! }).toString()}`;
      // The premise: Twilio's own validator accepts the tampered body.
      expect(isValidTwilioSignature(TEST_AUTH_TOKEN, signature, url, { ...params, [repeat]: [params[repeat]!, params[repeat]!] })).to.equal(true);
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature }, body });
      expect(response.status, `${path} ${repeat}`).to.equal(400);
      expect(await stored(callSid)).to.equal(0);
    }
  });

  it("refuses unsigned requests on every Twilio path, including unknown ones", async () => {
    for (const path of ["/twilio/status", "/twilio/fallback", "/twilio/ivr/pin?seq=1", "/twilio/queue/wait", "/twilio/queue/key", "/twilio/queue/exit", "/twilio/recording", "/twilio/connect-agent?agentId=1", "/twilio/callback-bridge?callbackId=1&agentId=1", "/twilio/nowhere"]) {
      const response = await signedPost(`${server.url}${path}`, callParams(newCallSid(), randomMobile()), { signature: null });
      expect(response.status, path).to.equal(403);
    }
  });

  it("answers an oversized body with 413 and stores nothing", async () => {
    const callSid = newCallSid();
    const response = await signedPost(`${server.url}/twilio/voice`, callParams(callSid, randomMobile(), { Padding: "x".repeat(40_000) }));
    expect(response.status).to.equal(413);
    expect(await stored(callSid)).to.equal(0);
  });

  it("answers a signed webhook without CallSid with valid TwiML (apology, general queue) and stores nothing", async () => {
    const before = await (await testDataSource()).getRepository(CallEvent).count();
    const response = await signedPost(`${server.url}/twilio/voice`, { From: randomMobile(), To: "+3232000000" });
    expect(response.status).to.equal(200);
    const twiml = parseTwiml(response.body);
    expect(findAll(twiml, "Say").map((node) => node.text)).to.deep.equal(LANGUAGES.map((language) => prompt(language, "technicalProblem")));
    expect(findAll(twiml, "Enqueue")[0]!.text).to.equal("desk-general");
    expect(await (await testDataSource()).getRepository(CallEvent).count()).to.equal(before);
  });

  it("answers a signed request to an unknown Twilio path with valid TwiML in the URL's language", async () => {
    const response = await signedPost(`${server.url}/twilio/unknown-step?lang=de`, callParams(newCallSid(), randomMobile()));
    expect(response.status).to.equal(200);
    expect(findAll(parseTwiml(response.body), "Say")[0]!.text).to.equal(prompt("de", "technicalProblem"));
  });

  describe("behind a proxy (PUBLIC_BASE_URL)", () => {
    let proxied: TestServer;
    beforeEach(async () => {
      proxied = await startTestServer({ PUBLIC_BASE_URL: "https://desk.example.be" });
    });
    afterEach(async () => proxied.close());

    it("checks signatures against the public URL and builds TwiML URLs from it", async () => {
      const callSid = newCallSid();
      const local = await signedPost(`${proxied.url}/twilio/voice`, callParams(callSid, "anonymous"));
      expect(local.status).to.equal(403);
      const response = await signedPost(`${proxied.url}/twilio/voice`, callParams(callSid, "anonymous"), { signUrl: "https://desk.example.be/twilio/voice" });
      expect(response.status).to.equal(200);
      expect(findAll(parseTwiml(response.body), "Gather")[0]!.attrs.action).to.match(/^https:\/\/desk\.example\.be\/twilio\/ivr\/language\?seq=1$/);
    });
  });
});
