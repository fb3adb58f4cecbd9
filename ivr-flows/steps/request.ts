import type { ContactType, Language, Priority } from "../../entities/enums.js";
import { answered, choose, gatherOneKey, retry, type MenuTable } from "../menu.js";
import { say, spacedDigits } from "../speak.js";
import type { ProductChoice, Step } from "../types.js";

/** R1 contact-type menu; 9 changes the language (R8). */
export const CONTACT_TYPE_MENU: MenuTable<ContactType | "language"> = { "1": "question", "2": "incident", "3": "change", "4": "complaint", "9": "language" };

/** Incident: does the problem stop the caller's work? Yes → critical, no → high. */
export const WORK_STOPPED_MENU: MenuTable<Priority> = { "1": "critical", "2": "high" };

/** Products the product menu reads (keys 1–8; 0 is "I don't know"). */
const MAX_PRODUCTS = 8;

/** A product's name in the caller's language, as the product record spells it for speech. */
export function spokenProductName(product: ProductChoice, language: Language): string {
  return product.spokenNames?.[language] ?? product.name;
}

/** Greeting by name in the remembered language; not entitled → R4; closed → said now, voicemail at the end. */
export const welcome: Step = {
  enter(state, _context, twiml) {
    const language = state.language ?? "nl";
    say(twiml, language, "welcome", { name: state.person?.firstName ?? "" });
    if (state.entitled === false) return { state, twiml, effects: [], goto: "notEntitled" };
    if (state.open === false) say(twiml, language, "closedNotice");
    return { state, twiml, effects: [], goto: "contactType" };
  },
};

/** Question, incident, change or complaint (R1). */
export const contactType: Step = {
  enter(state, context, twiml) {
    const language = state.language ?? "nl";
    const gather = gatherOneKey(twiml, state, context, "contactType");
    say(gather, language, "contactTypeMenu");
    say(gather, language, "changeLanguage");
    return { state, twiml, effects: [], awaiting: "contactType" };
  },
  answer(state, input, _context, twiml) {
    const chosen = choose(CONTACT_TYPE_MENU, input.digits);
    if (!chosen) return retry(state, twiml, "contactType");
    if (chosen === "language") return { state: answered(state, { afterLanguage: "welcome" }), twiml, effects: [], goto: "language" };
    const next = answered(state, { contactType: chosen, priority: chosen === "incident" ? null : "normal" });
    return { state: next, twiml, effects: [{ kind: "event", type: "contact_type_chosen", data: { contactType: chosen } }], goto: chosen === "incident" ? "workStopped" : "product" };
  },
};

/** Incident priority: work stopped → critical, otherwise high. */
export const workStopped: Step = {
  enter(state, context, twiml) {
    say(gatherOneKey(twiml, state, context, "workStopped"), state.language ?? "nl", "workStopped");
    return { state, twiml, effects: [], awaiting: "workStopped" };
  },
  answer(state, input, _context, twiml) {
    const priority = choose(WORK_STOPPED_MENU, input.digits);
    if (!priority) return retry(state, twiml, "workStopped");
    return { state: answered(state, { priority }), twiml, effects: [{ kind: "event", type: "priority_chosen", data: { priority } }], goto: "product" };
  },
};

/** Product choice, only when the customer has several covered products. */
export const product: Step = {
  enter(state, context, twiml) {
    const language = state.language ?? "nl";
    if (state.products.length <= 1) {
      const productId = state.products[0]?.id ?? null;
      return { state: { ...state, productId }, twiml, effects: [], goto: "ticket" };
    }
    const gather = gatherOneKey(twiml, state, context, "product", 8);
    say(gather, language, "productIntro");
    state.products.slice(0, MAX_PRODUCTS).forEach((choice, index) => say(gather, language, "productOption", { product: spokenProductName(choice, language), digit: index + 1 }));
    say(gather, language, "productUnknown");
    return { state, twiml, effects: [], awaiting: "product" };
  },
  answer(state, input, _context, twiml) {
    const table: MenuTable<ProductChoice | "unknown"> = {
      "0": "unknown",
      ...Object.fromEntries(state.products.slice(0, MAX_PRODUCTS).map((choice, index) => [String(index + 1), choice])),
    };
    const chosen = choose(table, input.digits);
    if (!chosen) return retry(state, twiml, "product");
    const productId = chosen === "unknown" ? null : chosen.id;
    return { state: answered(state, { productId }), twiml, effects: [{ kind: "event", type: "product_chosen", data: { productId } }], goto: "ticket" };
  },
};

/** Opens the ticket (once) and reads its number digit by digit; then the queue, or the voicemail when closed. */
export const ticket: Step = {
  enter(state, _context, twiml) {
    if (!state.ticket) return { state, twiml, effects: [{ kind: "openTicket", purpose: "support" }], goto: "ticket" };
    say(twiml, state.language ?? "nl", "ticketNumber", { number: spacedDigits(state.ticket.number) });
    return { state, twiml, effects: [], goto: state.open === false ? "voicemail" : "queue" };
  },
};
