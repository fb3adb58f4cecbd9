import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { EntityManager } from "typeorm";
import { PhoneNumber } from "../../entities/PhoneNumber.js";

/**
 * The number of a reference person that can receive an SMS: the first registered mobile number, or
 * null when the person has only landlines (SMS is then skipped and the skip recorded).
 */
export async function smsNumberOf(manager: EntityManager, personId: number): Promise<string | null> {
  const numbers = await manager.getRepository(PhoneNumber).find({ where: { personId }, order: { id: "ASC" } });
  for (const number of numbers) {
    const type = parsePhoneNumberFromString(number.e164)?.getType();
    if (type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE") return number.e164;
  }
  return null;
}
