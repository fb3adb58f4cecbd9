import type { Catalog } from "./catalog.js";

/** French prompts of the IVR. */
export const fr: Catalog = {
  languageOption: "Pour le français, appuyez sur {digit}.",
  enterPin: "Veuillez introduire votre code personnel, suivi de la touche dièse.",
  pinRejected: "Ce code n'a pas été reconnu.",
  pinLocked: "Trop de codes erronés ont été introduits depuis ce numéro. Pour le moment, nous ne pouvons plus accepter de code personnel depuis ce numéro.",
  pinPersonLocked: "Trop de tentatives erronées ont été faites pour ce code personnel. Pour le moment, nous ne pouvons pas l'accepter.",
  sharedNumber: "Ce numéro est partagé par plusieurs personnes.",
  personOption: "Pour {name}, appuyez sur {digit}.",
  personNotListed: "Si votre nom n'a pas été cité, appuyez sur 0 pour introduire votre code personnel.",
  unidentified:
    "Nous n'avons pas pu vous identifier. Notre support est réservé aux personnes de référence désignées par votre organisation. Demandez à la personne de référence générale de votre organisation de vous faire enregistrer. Votre appel a été enregistré.",
  accountManagementOffer: "Pour parler à la gestion des comptes, appuyez sur 1.",
  connectingAccountManagement: "Nous vous mettons en relation avec la gestion des comptes.",
  welcome: "Bonjour {name}, bienvenue au servicedesk de Care Solutions.",
  notEntitled:
    "Votre organisation n'a pas de contrat de maintenance payé et valide pour ce support. Nous ne pouvons donc pas traiter votre demande comme un appel de support.",
  callRegistered: "Nous avons enregistré votre appel sous le numéro {number}.",
  closedNotice:
    "Notre servicedesk est fermé pour le moment. Après vos choix, vous pourrez laisser un message, et nous vous rappellerons le jour ouvrable suivant.",
  contactTypeMenu:
    "Pour une question, appuyez sur 1. Pour signaler un problème ou une panne, appuyez sur 2. Pour une demande de modification, appuyez sur 3. Pour une plainte, appuyez sur 4.",
  changeLanguage: "Pour choisir une autre langue, appuyez sur 9.",
  workStopped: "Ce problème vous empêche-t-il de travailler ? Appuyez sur 1 pour oui, sur 2 pour non.",
  productIntro: "De quel produit s'agit-il ?",
  productOption: "Pour {product}, appuyez sur {digit}.",
  productUnknown: "Si vous ne savez pas, appuyez sur 0.",
  ticketNumber: "Votre numéro de ticket est le {number}. Je répète : {number}.",
  pleaseHold: "Veuillez patienter. Nous vous mettons en relation avec un collaborateur.",
  queuePosition: "Vous êtes numéro {position} dans la file d'attente.",
  queueEstimateOne: "Le temps d'attente estimé est d'environ une minute.",
  queueEstimate: "Le temps d'attente estimé est d'environ {minutes} minutes.",
  callbackOffer: "Pour être rappelé sans perdre votre place dans la file, appuyez sur 1.",
  callbackConfirmed: "Merci. Nous vous rappellerons quand ce sera votre tour.",
  voicemailPrompt: "Laissez votre message après le bip, puis appuyez sur la touche dièse.",
  voicemailNothing: "Nous n'avons pas reçu de message. Nous vous rappellerons le jour ouvrable suivant. Au revoir.",
  voicemailThanks: "Merci pour votre message. Nous vous rappellerons le jour ouvrable suivant. Au revoir.",
  notUnderstood: "Désolé, je n'ai pas compris.",
  transferToColleague: "Je vous mets en relation avec un collaborateur.",
  technicalProblem: "Veuillez nous excuser, nous rencontrons un problème technique. Nous vous mettons en relation avec un collaborateur.",
  connectingAgent: "Vous êtes maintenant mis en relation avec un collaborateur.",
  agentMissed: "Veuillez nous excuser, le collaborateur n'a pas pu prendre l'appel. Vous attendez à nouveau le prochain collaborateur.",
  callbackBridge:
    "Bonjour, ici le servicedesk de Care Solutions. Nous vous rappelons au sujet du ticket {number}. Un instant, nous vous mettons en relation avec un collaborateur.",
  callbackBridgeNoTicket: "Bonjour, ici le servicedesk de Care Solutions. Nous vous rappelons. Un instant, nous vous mettons en relation avec un collaborateur.",
  queueUnavailable: "Toutes nos lignes sont occupées. Nous vous rappellerons dès que possible. Au revoir.",
  goodbye: "Au revoir.",
};
