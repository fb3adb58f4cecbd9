import { expect } from "chai";
import type { Language } from "../../entities/enums.js";
import type { ScreenPop } from "../../shared-types/console-payloads.js";
import { DESK, IvrFixtures, OPEN_NOW, randomMobile, simulatorFor } from "../ivr/fixtures.js";
import { fixtures } from "../support/fixtures.js";
import { api, collect, connectSocket, eventually, login, realtimeTestBed } from "../routes/console/helpers.js";

const MENU_KEY: Record<Language, string> = { nl: "1", fr: "2", en: "3", de: "4" };

/** Issue 16 item 4: a caller pops whatever identified them, driven through the IVR's signed webhooks. */
describe("screen-pop of callers identified by PIN or by the choice on a shared number", () => {
  const bed = realtimeTestBed();

  /** An available agent speaking `language`, with a connected console collecting its pops. */
  async function availableAgent(language: Language): Promise<ScreenPop[]> {
    const row = await fixtures(bed.server.context.dataSource).agent({ name: `Agent ${language}`, languages: [language] });
    const cookie = await login(bed.server.url, row.email);
    await api(bed.server.url, cookie, "PUT", "/api/me/status", { status: "available" });
    const socket = await connectSocket(bed.server.url, cookie);
    bed.sockets.push(socket);
    return collect(socket, "screenpop:show");
  }

  for (const language of ["nl", "fr"] as const) {
    it(`pops a caller identified by PIN (${language}) at an available agent, in the menu and once queued`, async () => {
      bed.server.context.now = () => OPEN_NOW;
      const fx = new IvrFixtures(bed.server.context.dataSource);
      const sim = simulatorFor(bed.server);
      const pops = await availableAgent(language);
      const { customer } = await fx.customer();
      const { person, pin } = await fx.person(customer, { firstName: "Pinne", language, phone: null });

      const call = await sim.start({ from: randomMobile(), to: DESK });
      await sim.press(call, MENU_KEY[language]);
      await sim.press(call, `${pin}#`);
      const inMenu = await eventually(() => pops.find((pop) => pop.caller?.id === person.id), 3000, "the pop of the PIN caller");
      expect(inMenu).to.include({ language, stage: "menu" });
      await sim.press(call, "1");
      const queued = await eventually(() => pops.find((pop) => pop.caller?.id === person.id && pop.outcome === "queued"), 3000, "the pop once queued");
      expect(queued).to.include({ language, stage: "queued" });
    });

    it(`pops a caller who chose a person on a shared number (${language}) at an available agent`, async () => {
      bed.server.context.now = () => OPEN_NOW;
      const fx = new IvrFixtures(bed.server.context.dataSource);
      const sim = simulatorFor(bed.server);
      const pops = await availableAgent(language);
      const { customer } = await fx.customer();
      const shared = randomMobile();
      await fx.person(customer, { firstName: "Jan", lastName: "Aerts", language, phone: shared });
      const { person: second } = await fx.person(customer, { firstName: "Sofie", lastName: "Claes", language, phone: shared });

      const call = await sim.start({ from: shared, to: DESK });
      await sim.press(call, "2");
      const pop = await eventually(() => pops.find((each) => each.caller?.id === second.id), 3000, "the pop of the chosen person");
      expect(pop).to.include({ language, stage: "menu" });
      await sim.press(call, "1");
      await eventually(() => pops.find((each) => each.caller?.id === second.id && each.stage === "queued"), 3000, "the pop once queued");
    });
  }
});
