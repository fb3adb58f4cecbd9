import type { Catalog } from "./catalog.js";

/** German prompts of the IVR. */
export const de: Catalog = {
  languageOption: "Für Deutsch, drücken Sie die {digit}.",
  enterPin: "Bitte geben Sie Ihren persönlichen Code ein, gefolgt von der Rautetaste.",
  pinRejected: "Dieser Code wurde nicht erkannt.",
  pinLocked: "Von dieser Nummer wurden zu viele falsche Codes eingegeben. Vorerst können wir von dieser Nummer keinen persönlichen Code annehmen.",
  pinPersonLocked: "Für diesen persönlichen Code gab es zu viele falsche Versuche. Vorerst können wir ihn nicht annehmen.",
  sharedNumber: "Diese Nummer wird von mehreren Personen geteilt.",
  personOption: "Für {name}, drücken Sie die {digit}.",
  personNotListed: "Wurde Ihr Name nicht genannt, drücken Sie die 0, um Ihren persönlichen Code einzugeben.",
  unidentified:
    "Wir konnten Sie nicht identifizieren. Unser Support ist den von Ihrer Organisation benannten Referenzpersonen vorbehalten. Bitten Sie die allgemeine Referenzperson Ihrer Organisation, Sie registrieren zu lassen. Ihr Anruf wurde erfasst.",
  accountManagementOffer: "Um mit dem Account-Management zu sprechen, drücken Sie die 1.",
  connectingAccountManagement: "Wir verbinden Sie mit dem Account-Management.",
  welcome: "Guten Tag {name}, willkommen beim Servicedesk von Care Solutions.",
  notEntitled:
    "Ihre Organisation hat keinen bezahlten und gültigen Wartungsvertrag für diesen Support. Deshalb können wir Ihre Anfrage nicht als Supportanruf bearbeiten.",
  callRegistered: "Wir haben Ihren Anruf unter der Nummer {number} erfasst.",
  closedNotice:
    "Unser Servicedesk ist im Moment geschlossen. Nach Ihrer Auswahl können Sie eine Nachricht hinterlassen, und wir rufen Sie am nächsten Werktag zurück.",
  contactTypeMenu:
    "Für eine Frage, drücken Sie die 1. Um ein Problem oder eine Störung zu melden, drücken Sie die 2. Für einen Änderungsantrag, drücken Sie die 3. Für eine Beschwerde, drücken Sie die 4.",
  changeLanguage: "Um eine andere Sprache zu wählen, drücken Sie die 9.",
  workStopped: "Können Sie wegen dieses Problems nicht mehr arbeiten? Drücken Sie die 1 für ja, die 2 für nein.",
  productIntro: "Um welches Produkt geht es?",
  productOption: "Für {product}, drücken Sie die {digit}.",
  productUnknown: "Wenn Sie es nicht wissen, drücken Sie die 0.",
  ticketNumber: "Ihre Ticketnummer ist {number}. Ich wiederhole: {number}.",
  pleaseHold: "Bitte warten Sie. Wir verbinden Sie mit einem Mitarbeiter.",
  queuePosition: "Sie sind Nummer {position} in der Warteschlange.",
  queueEstimateOne: "Die geschätzte Wartezeit beträgt etwa eine Minute.",
  queueEstimate: "Die geschätzte Wartezeit beträgt etwa {minutes} Minuten.",
  callbackOffer: "Um zurückgerufen zu werden, ohne Ihren Platz in der Warteschlange zu verlieren, drücken Sie die 1.",
  callbackConfirmed: "Danke. Wir rufen Sie zurück, sobald Sie an der Reihe sind.",
  voicemailPrompt: "Bitte hinterlassen Sie Ihre Nachricht nach dem Signalton, und drücken Sie danach die Rautetaste.",
  voicemailNothing: "Wir haben keine Nachricht erhalten. Wir rufen Sie am nächsten Werktag zurück. Auf Wiederhören.",
  voicemailThanks: "Vielen Dank für Ihre Nachricht. Wir rufen Sie am nächsten Werktag zurück. Auf Wiederhören.",
  notUnderstood: "Entschuldigung, das habe ich nicht verstanden.",
  transferToColleague: "Ich verbinde Sie mit einem Mitarbeiter.",
  technicalProblem: "Entschuldigung, wir haben ein technisches Problem. Wir verbinden Sie mit einem Mitarbeiter.",
  connectingAgent: "Sie werden jetzt mit einem Mitarbeiter verbunden.",
  agentMissed: "Entschuldigung, der Mitarbeiter konnte den Anruf nicht annehmen. Sie warten wieder auf den nächsten Mitarbeiter.",
  callbackBridge:
    "Guten Tag, hier ist der Servicedesk von Care Solutions. Wir rufen Sie zurück wegen Ticket {number}. Einen Moment bitte, wir verbinden Sie mit einem Mitarbeiter.",
  callbackBridgeNoTicket: "Guten Tag, hier ist der Servicedesk von Care Solutions. Wir rufen Sie zurück. Einen Moment bitte, wir verbinden Sie mit einem Mitarbeiter.",
  queueUnavailable: "Alle unsere Leitungen sind besetzt. Wir rufen Sie so bald wie möglich zurück. Auf Wiederhören.",
  goodbye: "Auf Wiederhören.",
};
