import { expect } from "chai";
import { BusinessCalendar } from "../../server/domain/business-hours.js";
import { computeDueTimes, shiftDueTimesForPause } from "../../server/domain/sla.js";

const calendar = new BusinessCalendar({ timeZone: "Europe/Brussels", opensAt: "08:30", closesAt: "17:00", days: [1, 2, 3, 4, 5], holidayCountry: "BE" });
const at = (iso: string) => new Date(iso);
const targets = {
  critical: { firstResponseMinutes: 30, resolutionMinutes: 240 },
  high: { firstResponseMinutes: 60, resolutionMinutes: 480 },
  normal: { firstResponseMinutes: 240, resolutionMinutes: 1530 },
  low: { firstResponseMinutes: 480, resolutionMinutes: 5100 },
};

describe("business hours in Europe/Brussels", () => {
  it("is open on a weekday at 10:00 Brussels time and closed at 17:00", () => {
    expect(calendar.isOpen(at("2026-11-25T09:00:00Z"))).to.equal(true); // 10:00 CET
    expect(calendar.isOpen(at("2026-11-25T16:00:00Z"))).to.equal(false); // 17:00 CET
    expect(calendar.isOpen(at("2026-11-25T07:29:00Z"))).to.equal(false); // 08:29 CET
    expect(calendar.isOpen(at("2026-11-25T07:30:00Z"))).to.equal(true); // 08:30 CET
  });

  it("is closed at weekends", () => {
    expect(calendar.isOpen(at("2026-11-28T10:00:00Z"))).to.equal(false);
  });

  it("is closed on Belgian public holidays (Armistice, Easter Monday, National Day)", () => {
    expect(calendar.isOpen(at("2026-11-11T10:00:00Z"))).to.equal(false);
    expect(calendar.isOpen(at("2026-04-06T10:00:00Z"))).to.equal(false);
    expect(calendar.isOpen(at("2026-07-21T10:00:00Z"))).to.equal(false);
    expect(calendar.isHoliday("2026-11-02")).to.equal(false); // All Souls is an observance, not a public holiday
  });

  it("does not depend on the process time zone", () => {
    // 08:30 in Brussels during summer time is 06:30 UTC.
    expect(calendar.isOpen(at("2026-06-10T06:30:00Z"))).to.equal(true);
    expect(calendar.isOpen(at("2026-06-10T06:29:00Z"))).to.equal(false);
  });

  it("counts business minutes over a weekend", () => {
    // Friday 16:00 CET + 120 business minutes = Monday 09:30 CET.
    expect(calendar.addBusinessMinutes(at("2026-11-27T15:00:00Z"), 120).toISOString()).to.equal("2026-11-30T08:30:00.000Z");
  });

  it("skips a public holiday when adding business minutes", () => {
    // Tuesday 10 November 16:30 CET + 60 min: 30 min on Tuesday, Wednesday 11 November is a holiday, Thursday 09:00 CET.
    expect(calendar.addBusinessMinutes(at("2026-11-10T15:30:00Z"), 60).toISOString()).to.equal("2026-11-12T08:00:00.000Z");
  });

  it("keeps local opening time across the daylight-saving change", () => {
    // Friday 27 March 2026 16:00 CET (UTC+1) + 90 min: 60 on Friday, 30 on Monday from 08:30 CEST (UTC+2) → 07:00 UTC.
    expect(calendar.addBusinessMinutes(at("2026-03-27T15:00:00Z"), 90).toISOString()).to.equal("2026-03-30T07:00:00.000Z");
    // Autumn: Friday 23 October 16:00 CEST + 90 min → Monday 26 October 09:00 CET = 08:00 UTC.
    expect(calendar.addBusinessMinutes(at("2026-10-23T14:00:00Z"), 90).toISOString()).to.equal("2026-10-26T08:00:00.000Z");
    // The Sunday of the change itself is closed; business minutes across it count only opening hours.
    expect(calendar.businessMinutesBetween(at("2026-03-27T15:00:00Z"), at("2026-03-30T07:00:00Z"))).to.equal(90);
  });

  it("starts the clock at the next opening when a ticket arrives at night", () => {
    // Wednesday 22:00 CET + 30 min → Thursday 09:00 CET.
    expect(calendar.addBusinessMinutes(at("2026-11-25T21:00:00Z"), 30).toISOString()).to.equal("2026-11-26T08:00:00.000Z");
  });

  it("measures business minutes between two instants", () => {
    expect(calendar.businessMinutesBetween(at("2026-11-27T15:00:00Z"), at("2026-11-30T08:30:00Z"))).to.equal(120);
    expect(calendar.businessMinutesBetween(at("2026-11-30T08:30:00Z"), at("2026-11-27T15:00:00Z"))).to.equal(0);
  });

  it("adds business days, skipping weekends and holidays", () => {
    // Tuesday 10 November 10:00 CET + 1 business day → Thursday 12 November 10:00 (the 11th is Armistice).
    expect(calendar.addBusinessDays(at("2026-11-10T09:00:00Z"), 1).toISOString()).to.equal("2026-11-12T09:00:00.000Z");
  });
});

describe("SLA due times", () => {
  it("counts a business-hours policy in business minutes", () => {
    const due = computeDueTimes({ twentyFourSeven: false, targets }, "critical", at("2026-11-27T15:30:00Z"), calendar);
    // Friday 16:30 CET: 30 min left on Friday → first response due Friday 17:00; resolution 240 min → Monday 12:00 CET.
    expect(due.firstResponseDueAt.toISOString()).to.equal("2026-11-27T16:00:00.000Z");
    expect(due.resolutionDueAt.toISOString()).to.equal("2026-11-30T11:00:00.000Z");
  });

  it("counts a 24/7 policy in plain minutes, weekends and holidays included", () => {
    const due = computeDueTimes({ twentyFourSeven: true, targets }, "critical", at("2026-11-28T22:00:00Z"), calendar);
    expect(due.firstResponseDueAt.toISOString()).to.equal("2026-11-28T22:30:00.000Z");
    expect(due.resolutionDueAt.toISOString()).to.equal("2026-11-29T02:00:00.000Z");
  });

  it("pushes due times by the paused business time and leaves missed deadlines missed", () => {
    const shifted = shiftDueTimesForPause(
      { twentyFourSeven: false },
      { firstResponseDueAt: at("2026-11-25T08:00:00Z"), resolutionDueAt: at("2026-11-26T10:00:00Z") },
      at("2026-11-25T09:00:00Z"),
      at("2026-11-25T11:00:00Z"),
      calendar,
    );
    expect(shifted.firstResponseDueAt!.toISOString()).to.equal("2026-11-25T08:00:00.000Z");
    expect(shifted.resolutionDueAt!.toISOString()).to.equal("2026-11-26T12:00:00.000Z");
  });
});

describe("business minutes from one instant, for scanning many clocks", () => {
  it("answers exactly as businessMinutesBetween, across weekends, holidays and a DST change, in any order", () => {
    // Every 37 minutes around the end of daylight saving time (25 October) and Christmas to New Year.
    const ends: Date[] = [];
    for (let at = Date.parse("2026-10-20T00:00:00Z"); at < Date.parse("2026-11-25T00:00:00Z"); at += 37 * 60_000) ends.push(new Date(at));
    for (let at = Date.parse("2026-12-18T00:00:00Z"); at < Date.parse("2027-01-08T00:00:00Z"); at += 37 * 60_000) ends.push(new Date(at));
    // Late ones first too: the function walks dates as far as it is asked, then answers earlier ones from what it summed.
    const shuffled = [...ends].reverse();
    const mismatches: string[] = [];
    for (const from of [new Date("2026-10-23T14:59:00Z"), new Date("2026-10-24T22:00:00Z"), new Date("2026-11-11T09:00:00Z"), new Date("2026-12-24T15:30:00Z")]) {
      const minutesUntil = calendar.businessMinutesFrom(from);
      for (const to of [...shuffled, ...ends]) {
        const expected = calendar.businessMinutesBetween(from, to);
        if (minutesUntil(to) !== expected) mismatches.push(`${from.toISOString()} → ${to.toISOString()}: ${minutesUntil(to)} ≠ ${expected}`);
      }
    }
    expect(mismatches).to.deep.equal([]);
  });
});

describe("business days passed, for scanning many tickets", () => {
  it("answers exactly as adding business days, for starts on every kind of day and hour", () => {
    // Around Christmas and New Year (holidays, weekends) and a DST change, every 37 minutes for five weeks.
    const starts: Date[] = [];
    for (let at = Date.parse("2026-10-20T00:00:00Z"); at < Date.parse("2026-11-25T00:00:00Z"); at += 37 * 60_000) starts.push(new Date(at));
    for (let at = Date.parse("2026-12-18T00:00:00Z"); at < Date.parse("2027-01-08T00:00:00Z"); at += 37 * 60_000) starts.push(new Date(at));
    const mismatches: string[] = [];
    for (const now of [new Date("2026-10-29T10:00:00Z"), new Date("2026-11-24T16:30:00Z"), new Date("2027-01-05T07:31:00Z")]) {
      for (const days of [1, 3, 6]) {
        const passed = calendar.businessDaysPassed(now, days);
        for (const start of starts) {
          if (passed(start) !== now >= calendar.addBusinessDays(start, days)) mismatches.push(`${start.toISOString()} + ${days} by ${now.toISOString()}`);
        }
      }
    }
    expect(mismatches).to.deep.equal([]);
  });

  it("is not fooled by a later start that is due earlier (Friday evening against Sunday afternoon)", () => {
    const passed = calendar.businessDaysPassed(new Date("2026-11-25T16:00:00Z"), 3);
    // Friday 20 November 17:01 in Brussels: due Thursday 08:30; Sunday 22 November 16:59: due Wednesday 16:59.
    expect(passed(new Date("2026-11-20T16:01:00Z"))).to.equal(false);
    expect(passed(new Date("2026-11-22T15:59:00Z"))).to.equal(true);
  });
});
