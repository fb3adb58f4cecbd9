import { expect } from "chai";
import { InvalidEnvironmentError, parseEnv } from "../../server/config/env.js";

describe("configuration", () => {
  it("starts on defaults with an empty environment", () => {
    const env = parseEnv({});
    expect(env.PORT).to.equal(3000);
    expect(env.DATABASE_URL).to.equal(undefined);
    expect(env.BUSINESS_TIMEZONE).to.equal("Europe/Brussels");
    expect(env.BUSINESS_DAYS).to.deep.equal([1, 2, 3, 4, 5]);
  });

  it("names the variable and the problem when a value is wrong", () => {
    expect(() => parseEnv({ PORT: "seventy" })).to.throw(InvalidEnvironmentError, /PORT/);
    expect(() => parseEnv({ DATABASE_URL: "postgres://x" })).to.throw(InvalidEnvironmentError, /DATABASE_URL: must be a mysql:\/\/ URL/);
    expect(() => parseEnv({ BUSINESS_HOURS_START: "8h" })).to.throw(InvalidEnvironmentError, /BUSINESS_HOURS_START: must be HH:MM/);
    expect(() => parseEnv({ BUSINESS_TIMEZONE: "Mars/Olympus" })).to.throw(InvalidEnvironmentError, /BUSINESS_TIMEZONE/);
  });

  it("trusts no proxy by default; TRUST_PROXY takes a hop count or proxy addresses, never 'true'", () => {
    expect(parseEnv({}).TRUST_PROXY).to.equal(0);
    expect(parseEnv({ TRUST_PROXY: "1" }).TRUST_PROXY).to.equal(1);
    expect(parseEnv({ TRUST_PROXY: "10.0.0.2, 10.1.0.0/16,loopback,::1" }).TRUST_PROXY).to.deep.equal(["10.0.0.2", "10.1.0.0/16", "loopback", "::1"]);
    for (const wrong of ["true", "10.0.0.300", "10.0.0.0/33", "proxy.example.be", "-1"]) {
      expect(() => parseEnv({ TRUST_PROXY: wrong }), wrong).to.throw(InvalidEnvironmentError, /TRUST_PROXY/);
    }
  });

  it("refuses a closing time before the opening time", () => {
    expect(() => parseEnv({ BUSINESS_HOURS_START: "18:00", BUSINESS_HOURS_END: "08:00" })).to.throw(/BUSINESS_HOURS_END/);
  });

  it("lists every problem at once", () => {
    try {
      parseEnv({ PORT: "-1", REDIS_URL: "localhost" });
      expect.fail("should throw");
    } catch (error) {
      expect((error as InvalidEnvironmentError).problems.map((p) => p.variable)).to.have.members(["PORT", "REDIS_URL"]);
    }
  });

  describe("with a Twilio account (live mode)", () => {
    const live = {
      TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`,
      TWILIO_AUTH_TOKEN: "a-real-auth-token-0123",
      PUBLIC_BASE_URL: "https://desk.example.be",
      DESK_PHONE_NUMBER: "+3233000000",
      SMS_FROM_NUMBER: "+3233000001",
    };
    const refused = (raw: Record<string, string>) => {
      try {
        parseEnv(raw);
      } catch (error) {
        expect(error).to.be.instanceOf(InvalidEnvironmentError);
        return (error as InvalidEnvironmentError).problems.map((p) => p.variable);
      }
      return expect.fail("should throw");
    };

    it("starts when token, https base URL and both numbers are set", () => {
      expect(parseEnv(live).TWILIO_ACCOUNT_SID).to.equal(live.TWILIO_ACCOUNT_SID);
    });

    it("names every setting left to its simulation or demo default, all at once", () => {
      expect(refused({ TWILIO_ACCOUNT_SID: live.TWILIO_ACCOUNT_SID })).to.have.members(["TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL", "DESK_PHONE_NUMBER", "SMS_FROM_NUMBER"]);
    });

    it("refuses the simulation auth token, a plain http base URL and the demo numbers set explicitly", () => {
      expect(refused({ ...live, TWILIO_AUTH_TOKEN: "simulation-auth-token" })).to.deep.equal(["TWILIO_AUTH_TOKEN"]);
      expect(refused({ ...live, PUBLIC_BASE_URL: "http://desk.example.be" })).to.deep.equal(["PUBLIC_BASE_URL"]);
      expect(refused({ ...live, DESK_PHONE_NUMBER: "+3232000000" })).to.deep.equal(["DESK_PHONE_NUMBER"]);
      expect(refused({ ...live, SMS_FROM_NUMBER: "" })).to.deep.equal(["SMS_FROM_NUMBER"]);
      expect(() => parseEnv({ ...live, PUBLIC_BASE_URL: "http://x" })).to.throw(/PUBLIC_BASE_URL: must be the https:\/\/ URL/);
    });

    it("asks none of this in simulation", () => {
      expect(() => parseEnv({ PUBLIC_BASE_URL: "http://localhost:3000" })).not.to.throw();
    });
  });
});
