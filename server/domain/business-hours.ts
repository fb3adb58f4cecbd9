import Holidays from "date-holidays";
import { DateTime } from "luxon";
import type { Env } from "../config/env.js";

export interface BusinessHoursSettings {
  /** IANA zone of the desk, e.g. Europe/Brussels; independent of the process TZ. */
  timeZone: string;
  /** Opening time "HH:MM". */
  opensAt: string;
  /** Closing time "HH:MM". */
  closesAt: string;
  /** ISO weekdays the desk is open (1 = Monday). */
  days: number[];
  /** date-holidays country code whose public holidays close the desk. */
  holidayCountry: string;
}

const MINUTE = 60_000;
const QUARTER_HOUR = 15 * MINUTE;

/**
 * The desk's calendar: opening hours in its own time zone, public holidays from date-holidays,
 * daylight-saving changes handled by luxon. All inputs and outputs are instants (Date).
 */
export class BusinessCalendar {
  private readonly holidaysByYear = new Map<number, Set<string>>();
  /** Opening windows per local date: pure, and luxon's zone arithmetic is costly on hot paths. */
  private readonly windows = new Map<string, { start: Date; end: Date } | null>();
  private readonly dateFormat: Intl.DateTimeFormat;
  private readonly localDates = new Map<number, string>();
  private readonly holidays: Holidays;
  private readonly open: { hour: number; minute: number };
  private readonly close: { hour: number; minute: number };

  constructor(readonly settings: BusinessHoursSettings) {
    this.holidays = new Holidays(settings.holidayCountry, { types: ["public"] });
    const [oh, om] = settings.opensAt.split(":").map(Number);
    const [ch, cm] = settings.closesAt.split(":").map(Number);
    this.open = { hour: oh!, minute: om! };
    this.close = { hour: ch!, minute: cm! };
    // en-CA formats dates as YYYY-MM-DD.
    this.dateFormat = new Intl.DateTimeFormat("en-CA", { timeZone: settings.timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  }

  /** Builds the calendar from the validated environment. */
  static fromEnv(env: Env): BusinessCalendar {
    return new BusinessCalendar({
      timeZone: env.BUSINESS_TIMEZONE,
      opensAt: env.BUSINESS_HOURS_START,
      closesAt: env.BUSINESS_HOURS_END,
      days: env.BUSINESS_DAYS,
      holidayCountry: env.HOLIDAY_COUNTRY,
    });
  }

  /**
   * The calendar date (YYYY-MM-DD) of an instant in the desk's zone. Cached per quarter of an hour: every zone's
   * offset is a whole number of quarters and changes on one, so midnight always falls on a quarter boundary.
   */
  localDate(at: Date): string {
    const quarter = Math.floor(at.getTime() / QUARTER_HOUR);
    const cached = this.localDates.get(quarter);
    if (cached) return cached;
    if (this.localDates.size > 10_000) this.localDates.clear();
    const date = this.dateFormat.format(at);
    this.localDates.set(quarter, date);
    return date;
  }

  /** True on a public holiday of the desk's country (a date in the desk's zone). */
  isHoliday(localDate: string): boolean {
    const year = Number(localDate.slice(0, 4));
    let dates = this.holidaysByYear.get(year);
    if (!dates) {
      dates = new Set(
        this.holidays
          .getHolidays(year)
          .filter((holiday) => holiday.type === "public")
          .map((holiday) => holiday.date.slice(0, 10)),
      );
      this.holidaysByYear.set(year, dates);
    }
    return dates.has(localDate);
  }

  /** True when the date is a working day: an open weekday that is not a public holiday. */
  isBusinessDay(localDate: string): boolean {
    const weekday = new Date(`${localDate}T12:00:00Z`).getUTCDay() || 7; // ISO: Monday 1 … Sunday 7
    return this.settings.days.includes(weekday) && !this.isHoliday(localDate);
  }

  /** True when the desk is open at this instant. */
  isOpen(at: Date): boolean {
    const window = this.windowOn(this.localDate(at));
    return window !== null && at >= window.start && at < window.end;
  }

  /** The opening and closing instants of a working day, or null when the desk is closed that day. */
  windowOn(localDate: string): { start: Date; end: Date } | null {
    const cached = this.windows.get(localDate);
    if (cached !== undefined) return cached;
    let window: { start: Date; end: Date } | null = null;
    if (this.isBusinessDay(localDate)) {
      const day = DateTime.fromISO(localDate, { zone: this.settings.timeZone });
      window = { start: day.set({ ...this.open, second: 0, millisecond: 0 }).toJSDate(), end: day.set({ ...this.close, second: 0, millisecond: 0 }).toJSDate() };
    }
    if (this.windows.size > 5000) this.windows.clear();
    this.windows.set(localDate, window);
    return window;
  }

  /** The next instant the desk is open, at or after `at`. */
  nextOpening(at: Date): Date {
    if (this.isOpen(at)) return at;
    let date = this.localDate(at);
    for (let i = 0; i < 400; i++) {
      const window = this.windowOn(date);
      if (window && at < window.end) return at > window.start ? at : window.start;
      date = nextDate(date);
    }
    throw new Error("no business day within 400 days: check BUSINESS_DAYS");
  }

  /** The instant `minutes` business minutes after `start` (closed time does not count). */
  addBusinessMinutes(start: Date, minutes: number): Date {
    let remaining = minutes * MINUTE;
    let cursor = start;
    let date = this.localDate(start);
    for (let i = 0; i < 5000; i++) {
      const window = this.windowOn(date);
      if (window && cursor < window.end) {
        const from = cursor > window.start ? cursor : window.start;
        const available = window.end.getTime() - from.getTime();
        if (remaining <= available) return new Date(from.getTime() + remaining);
        remaining -= available;
      }
      date = nextDate(date);
      cursor = DateTime.fromISO(date, { zone: this.settings.timeZone }).toJSDate();
    }
    throw new Error("business-minute span too long");
  }

  /** Business minutes between two instants (0 when `to` is not after `from`). */
  businessMinutesBetween(from: Date, to: Date): number {
    if (to <= from) return 0;
    let total = 0;
    let date = this.localDate(from);
    const lastDate = this.localDate(to);
    for (let i = 0; i < 5000; i++) {
      const window = this.windowOn(date);
      if (window) {
        const start = Math.max(window.start.getTime(), from.getTime());
        const end = Math.min(window.end.getTime(), to.getTime());
        if (end > start) total += end - start;
      }
      if (date >= lastDate) break;
      date = nextDate(date);
    }
    return Math.round(total / MINUTE);
  }

  /**
   * `to => businessMinutesBetween(from, to)` for many `to` after one `from` (the SLA scan weighs every open clock
   * against now): the business time before each local date is summed once, so each answer costs one day's window.
   */
  businessMinutesFrom(from: Date): (to: Date) => number {
    const fromDate = this.localDate(from);
    /** Business milliseconds from `from` to the start of each local date walked so far (fromDate onwards). */
    const before = new Map<string, number>([[fromDate, 0]]);
    let lastDate = fromDate;
    /** The business milliseconds of one date's window after `from` and before `to`. */
    const share = (date: string, to: number) => {
      const window = this.windowOn(date);
      if (!window) return 0;
      const start = Math.max(window.start.getTime(), from.getTime());
      const end = Math.min(window.end.getTime(), to);
      return end > start ? end - start : 0;
    };
    return (to) => {
      if (to <= from) return 0;
      const toDate = this.localDate(to);
      for (let i = 0; lastDate < toDate && i < 5000; i++) {
        const next = nextDate(lastDate);
        before.set(next, before.get(lastDate)! + share(lastDate, Infinity));
        lastDate = next;
      }
      const sum = before.get(toDate);
      return sum === undefined ? this.businessMinutesBetween(from, to) : Math.round((sum + share(toDate, to.getTime())) / MINUTE);
    };
  }

  /**
   * `start => now >= addBusinessDays(start, days)`, for scanning many starts. Across dates the sum can go back (a
   * Friday evening start is due later than a Sunday afternoon one), but within one local date a later start never
   * ends earlier: a date whose first and last instant agree decides all its starts with two sums.
   */
  businessDaysPassed(now: Date, days: number): (start: Date) => boolean {
    const passed = (start: Date) => now.getTime() >= this.addBusinessDays(start, days).getTime();
    const byDate = new Map<string, boolean | null>();
    return (start) => {
      const date = this.localDate(start);
      let verdict = byDate.get(date);
      if (verdict === undefined) {
        const day = DateTime.fromISO(date, { zone: this.settings.timeZone });
        const first = passed(day.startOf("day").toJSDate());
        verdict = first === passed(day.endOf("day").toJSDate()) ? first : null;
        byDate.set(date, verdict);
      }
      return verdict ?? passed(start);
    };
  }

  /** The same local time `days` working days later (moved into opening hours when outside them). */
  addBusinessDays(start: Date, days: number): Date {
    let date = this.localDate(start);
    let counted = 0;
    while (counted < days) {
      date = nextDate(date);
      if (this.isBusinessDay(date)) counted++;
    }
    const local = DateTime.fromJSDate(start, { zone: this.settings.timeZone });
    const candidate = DateTime.fromISO(date, { zone: this.settings.timeZone }).set({ hour: local.hour, minute: local.minute, second: local.second }).toJSDate();
    return this.nextOpening(candidate);
  }
}

function nextDate(localDate: string): string {
  // Calendar arithmetic on the date alone: no time zone involved.
  const date = new Date(`${localDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}
