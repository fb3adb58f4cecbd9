import type VoiceResponse from "twilio/lib/twiml/VoiceResponse.js";
import type { Language } from "../entities/enums.js";

type SayAttributes = VoiceResponse.SayAttributes;

/**
 * How each language is spoken (R8): Belgian locales where Twilio has them. Amazon Polly neural voices exist
 * for every one of these locales, so the caller hears a native voice rather than Twilio's basic one.
 * Speech recognition is not used (DTMF only); were it added, French must use fr-FR (no fr-BE recogniser).
 */
export const VOICES: Record<Language, { language: SayAttributes["language"]; voice: SayAttributes["voice"]; recognition: string }> = {
  nl: { language: "nl-BE", voice: "Polly.Lisa-Neural", recognition: "nl-BE" },
  fr: { language: "fr-BE", voice: "Polly.Isabelle-Neural", recognition: "fr-FR" },
  en: { language: "en-GB", voice: "Polly.Amy-Neural", recognition: "en-GB" },
  de: { language: "de-DE", voice: "Polly.Vicki-Neural", recognition: "de-DE" },
};

/** Attributes of a <Say> in this language. */
export function sayAttributes(language: Language): SayAttributes {
  const { language: locale, voice } = VOICES[language];
  return { language: locale, voice };
}
