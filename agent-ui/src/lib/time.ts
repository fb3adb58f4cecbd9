import { useEffect, useState } from "preact/hooks";

/** Every time in the console is shown in the desk's zone, whatever the browser's. */
export const TIME_ZONE = "Europe/Brussels";

/** Date and time, e.g. 10/03/2026 14:05 (nl-BE). */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, dateStyle: "short", timeStyle: "short" }).format(new Date(iso));
}

/** Time of day, e.g. 14:05. */
export function formatTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

/** A duration as m:ss, or h:mm:ss from an hour on. */
export function formatDuration(totalSeconds: number | null | undefined): string {
  if (totalSeconds === null || totalSeconds === undefined || Number.isNaN(totalSeconds)) return "—";
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** Seconds from an ISO instant to `now`. */
export function secondsSince(iso: string | null | undefined, now: Date): number | null {
  return iso ? Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000)) : null;
}

/** The current time, re-rendering the component every `intervalMs` (live waiting times). */
export function useNow(intervalMs = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function zoneOffsetMinutes(at: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - at.getTime()) / 60_000);
}

/** Reads a `datetime-local` value ("2026-03-10T14:00") as a Brussels wall-clock time; returns the ISO instant. */
export function brusselsLocalToIso(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as number[];
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!);
  let guess = wall;
  for (let i = 0; i < 3; i++) guess = wall - zoneOffsetMinutes(new Date(guess)) * 60_000;
  return new Date(guess).toISOString();
}

/** The `datetime-local` value showing an instant on the Brussels clock. */
export function isoToBrusselsLocal(iso: string): string {
  const at = new Date(iso);
  const shifted = new Date(at.getTime() + zoneOffsetMinutes(at) * 60_000);
  return shifted.toISOString().slice(0, 16);
}
