import { DateTime } from "luxon";
import type { Language } from "../../entities/enums.js";

/**
 * Every text the background jobs send: SMS to reference persons (their language) and in-app notices
 * to agents (their UI language). `{name}` placeholders are filled by renderMessage; every language
 * has every key with the same placeholders (tests/jobs/messages.test.ts checks it).
 */
export const MESSAGES = {
  nl: {
    sessionConfirmed: "Care Solutions: uw sessie op afstand voor ticket {ticket} is gepland op {date} om {time} ({minutes} min). Tot dan!",
    sessionRescheduled: "Care Solutions: uw sessie op afstand voor ticket {ticket} is verplaatst naar {date} om {time} ({minutes} min).",
    sessionReminder: "Care Solutions: herinnering, uw sessie op afstand voor ticket {ticket} begint vandaag om {time}.",
    sessionCancelled: "Care Solutions: uw sessie op afstand voor ticket {ticket} van {date} om {time} is geannuleerd.",
    autoCloseNotice: "Care Solutions: ticket {ticket} wacht op uw antwoord. Zonder reactie sluiten we het op {date}.",
    noticeSlaReminder: "Ticket {ticket}: {target} vervalt om {time} (75% van de SLA-tijd verbruikt).",
    noticeSlaBreached: "Ticket {ticket}: SLA voor {target} overschreden (vervaldag {time}).",
    targetFirstResponse: "eerste antwoord",
    targetResolution: "oplossing",
    noticeWaitingFollowUp: "Ticket {ticket} wacht al {days} werkdagen op de klant: neem contact op.",
    noticeTicketAutoClosed: "Ticket {ticket} is automatisch gesloten: geen antwoord van de klant.",
    noticeSessionSoon: "Sessie op afstand voor ticket {ticket} met {person} begint om {time}.",
    noticeSessionMissed: "De sessie op afstand voor ticket {ticket} van {time} werd niet als gehouden gemarkeerd: geregistreerd als gemist.",
    alertComplaint: "Klacht {ticket}: een supervisor volgt op vóór {time}.",
    alertComplaintOverdue: "Klacht {ticket}: nog geen opvolging door een supervisor (verwacht vóór {time}).",
    noticeConsentPending: "Ticket {ticket}: akkoord over kosten wacht nog op de klant sinds {date}.",
    alertCallbackFailed: "Terugbelverzoek voor ticket {ticket} ({phone}) mislukt na {attempts} pogingen.",
    alertPinLockedOut: "Vanaf {phone} werden {failures} foute persoonlijke codes ingegeven: de IVR aanvaardt {minutes} minuten geen code van dit nummer.",
    alertPinPersonLockedOut: "Voor de code van {name} ({customer}) werden {failures} foute pogingen gedaan: de IVR aanvaardt {minutes} minuten de code van deze persoon niet, van geen enkel nummer.",
  },
  fr: {
    sessionConfirmed: "Care Solutions : votre session à distance pour le ticket {ticket} est prévue le {date} à {time} ({minutes} min). À bientôt !",
    sessionRescheduled: "Care Solutions : votre session à distance pour le ticket {ticket} est déplacée au {date} à {time} ({minutes} min).",
    sessionReminder: "Care Solutions : rappel, votre session à distance pour le ticket {ticket} commence aujourd'hui à {time}.",
    sessionCancelled: "Care Solutions : votre session à distance pour le ticket {ticket} du {date} à {time} est annulée.",
    autoCloseNotice: "Care Solutions : le ticket {ticket} attend votre réponse. Sans nouvelles, nous le clôturerons le {date}.",
    noticeSlaReminder: "Ticket {ticket} : {target} attendu(e) à {time} (75 % du délai SLA écoulé).",
    noticeSlaBreached: "Ticket {ticket} : SLA de {target} dépassé (échéance {time}).",
    targetFirstResponse: "première réponse",
    targetResolution: "résolution",
    noticeWaitingFollowUp: "Le ticket {ticket} attend le client depuis {days} jours ouvrables : relancez-le.",
    noticeTicketAutoClosed: "Le ticket {ticket} a été clôturé automatiquement : pas de réponse du client.",
    noticeSessionSoon: "La session à distance du ticket {ticket} avec {person} commence à {time}.",
    noticeSessionMissed: "La session à distance du ticket {ticket} de {time} n'a pas été marquée comme tenue : enregistrée comme manquée.",
    alertComplaint: "Plainte {ticket} : un superviseur assure le suivi avant {time}.",
    alertComplaintOverdue: "Plainte {ticket} : pas encore de suivi par un superviseur (attendu avant {time}).",
    noticeConsentPending: "Ticket {ticket} : l'accord sur les coûts attend le client depuis le {date}.",
    alertCallbackFailed: "Le rappel pour le ticket {ticket} ({phone}) a échoué après {attempts} tentatives.",
    alertPinLockedOut: "{failures} codes personnels erronés ont été introduits depuis le {phone} : l'IVR n'accepte plus de code de ce numéro pendant {minutes} minutes.",
    alertPinPersonLockedOut: "{failures} tentatives erronées ont visé le code de {name} ({customer}) : l'IVR n'accepte plus le code de cette personne pendant {minutes} minutes, depuis aucun numéro.",
  },
  en: {
    sessionConfirmed: "Care Solutions: your remote session for ticket {ticket} is booked on {date} at {time} ({minutes} min). See you then!",
    sessionRescheduled: "Care Solutions: your remote session for ticket {ticket} has moved to {date} at {time} ({minutes} min).",
    sessionReminder: "Care Solutions: reminder, your remote session for ticket {ticket} starts today at {time}.",
    sessionCancelled: "Care Solutions: your remote session for ticket {ticket} on {date} at {time} is cancelled.",
    autoCloseNotice: "Care Solutions: ticket {ticket} is waiting for your reply. Without news we will close it on {date}.",
    noticeSlaReminder: "Ticket {ticket}: {target} due at {time} (75% of the SLA time used).",
    noticeSlaBreached: "Ticket {ticket}: {target} SLA breached (due {time}).",
    targetFirstResponse: "first response",
    targetResolution: "resolution",
    noticeWaitingFollowUp: "Ticket {ticket} has been waiting on the customer for {days} business days: follow up.",
    noticeTicketAutoClosed: "Ticket {ticket} was closed automatically: no reply from the customer.",
    noticeSessionSoon: "Remote session for ticket {ticket} with {person} starts at {time}.",
    noticeSessionMissed: "The remote session for ticket {ticket} at {time} was not marked as held: recorded as missed.",
    alertComplaint: "Complaint {ticket}: a supervisor follows up before {time}.",
    alertComplaintOverdue: "Complaint {ticket}: no supervisor follow-up yet (due before {time}).",
    noticeConsentPending: "Ticket {ticket}: cost consent still waiting on the customer since {date}.",
    alertCallbackFailed: "Callback for ticket {ticket} ({phone}) failed after {attempts} attempts.",
    alertPinLockedOut: "{failures} wrong personal codes were entered from {phone}: the IVR accepts no code from this number for {minutes} minutes.",
    alertPinPersonLockedOut: "{failures} wrong attempts were made at the code of {name} ({customer}): the IVR accepts this person's code from no number for {minutes} minutes.",
  },
  de: {
    sessionConfirmed: "Care Solutions: Ihre Fernwartungssitzung für Ticket {ticket} ist am {date} um {time} geplant ({minutes} Min.). Bis dann!",
    sessionRescheduled: "Care Solutions: Ihre Fernwartungssitzung für Ticket {ticket} wurde auf den {date} um {time} verschoben ({minutes} Min.).",
    sessionReminder: "Care Solutions: Erinnerung, Ihre Fernwartungssitzung für Ticket {ticket} beginnt heute um {time}.",
    sessionCancelled: "Care Solutions: Ihre Fernwartungssitzung für Ticket {ticket} am {date} um {time} wurde abgesagt.",
    autoCloseNotice: "Care Solutions: Ticket {ticket} wartet auf Ihre Antwort. Ohne Rückmeldung schließen wir es am {date}.",
    noticeSlaReminder: "Ticket {ticket}: {target} fällig um {time} (75 % der SLA-Zeit verbraucht).",
    noticeSlaBreached: "Ticket {ticket}: SLA für {target} überschritten (fällig {time}).",
    targetFirstResponse: "Erstantwort",
    targetResolution: "Lösung",
    noticeWaitingFollowUp: "Ticket {ticket} wartet seit {days} Werktagen auf den Kunden: bitte nachfassen.",
    noticeTicketAutoClosed: "Ticket {ticket} wurde automatisch geschlossen: keine Antwort des Kunden.",
    noticeSessionSoon: "Die Fernwartungssitzung für Ticket {ticket} mit {person} beginnt um {time}.",
    noticeSessionMissed: "Die Fernwartungssitzung für Ticket {ticket} um {time} wurde nicht als gehalten markiert: als versäumt erfasst.",
    alertComplaint: "Beschwerde {ticket}: ein Supervisor kümmert sich vor {time} darum.",
    alertComplaintOverdue: "Beschwerde {ticket}: noch keine Nachverfolgung durch einen Supervisor (fällig vor {time}).",
    noticeConsentPending: "Ticket {ticket}: Kostenzustimmung wartet seit {date} auf den Kunden.",
    alertCallbackFailed: "Rückruf für Ticket {ticket} ({phone}) nach {attempts} Versuchen fehlgeschlagen.",
    alertPinLockedOut: "Von {phone} wurden {failures} falsche persönliche Codes eingegeben: das IVR nimmt {minutes} Minuten lang keinen Code von dieser Nummer an.",
    alertPinPersonLockedOut: "Für den Code von {name} ({customer}) gab es {failures} falsche Versuche: das IVR nimmt den Code dieser Person {minutes} Minuten lang von keiner Nummer an.",
  },
} as const satisfies Record<Language, Record<string, string>>;

export type MessageKey = keyof (typeof MESSAGES)["en"];

/** Broadcast alerts (supervisors' room) go out in one language; the UI may re-translate by `kind`. */
export const ALERT_LANGUAGE: Language = "en";

const LOCALES: Record<Language, string> = { nl: "nl-BE", fr: "fr-BE", en: "en-GB", de: "de-DE" };

/** The text of a message in a language, placeholders filled; an unknown placeholder stays visible. */
export function renderMessage(language: Language, key: MessageKey, params: Record<string, string | number>): string {
  const template: string = (MESSAGES[language] ?? MESSAGES.en)[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Date and time of an instant as people of that language write them, in the desk's time zone. */
export function formatWhen(at: Date, language: Language, timeZone: string): { date: string; time: string } {
  const local = DateTime.fromJSDate(at, { zone: timeZone }).setLocale(LOCALES[language] ?? "en-GB");
  return { date: local.toLocaleString(DateTime.DATE_HUGE), time: local.toFormat("HH:mm") };
}

/** Date and time together ("maandag 2 maart 2026 10:00"), for notices. */
export function formatDateTime(at: Date, language: Language, timeZone: string): string {
  const { date, time } = formatWhen(at, language, timeZone);
  return `${date} ${time}`;
}
