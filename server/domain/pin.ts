import { createHmac } from "node:crypto";

/** PINs are 4 to 8 digits. */
export const PIN_PATTERN = /^\d{4,8}$/;

/** Keyed hash of a PIN (HMAC-SHA256, hex): deterministic so a PIN alone finds its person, useless without the key. */
export function hashPin(pin: string, secret: string): string {
  return createHmac("sha256", secret).update(pin).digest("hex");
}
