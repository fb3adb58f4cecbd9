import type { AdminClient } from "../routes/admin/helpers.js";

/** Polls an import job until it finishes; returns the final job and every progress value seen. */
export async function waitForImport(client: AdminClient, jobId: string, timeoutMs = 60_000): Promise<{ job: any; progress: number[] }> {
  const progress: number[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await client.get(`/imports/jobs/${jobId}`);
    if (answer.status !== 200) throw new Error(`job poll: ${answer.status} ${JSON.stringify(answer.body)}`);
    progress.push(answer.body.processed);
    if (["completed", "rejected", "failed"].includes(answer.body.status)) return { job: answer.body, progress };
    if (Date.now() > deadline) throw new Error(`import ${jobId} still ${answer.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A Belgian mobile number for person i, in one of the notations people type. */
export function mobileNumber(i: number): { typed: string; e164: string } {
  const digits = String(100000 + i).padStart(6, "0").slice(-6);
  const e164 = `+32470${digits}`;
  const [a, b, c] = [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4, 6)];
  const forms = [`0470 ${a} ${b} ${c}`, `+32 (0)470 ${a} ${b} ${c}`, `0470/${a}.${b}.${c}`, `0032 470 ${a}${b}${c}`];
  return { typed: forms[i % forms.length]!, e164 };
}
