import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicyYaml } from '../policy/parse.ts';
import type { ResponseTargets } from '../policy/schema-targets.ts';
import { isBusinessDay, workCalendar } from './calendar.ts';
import { computeClocks, pauses, type Clock, type ClockEvent, type ClockInput, type ClockName } from './clocks.ts';
import { TZDate } from '@date-fns/tz';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const policyOf = (name: string) => parsePolicyYaml(readFileSync(new URL(`../../../examples/policies/${name}.yaml`, import.meta.url), 'utf8'));
const at = (iso: string) => new Date(iso);

function clocks(targets: ResponseTargets, events: ClockEvent[], now: Date, extra: Partial<ClockInput> = {}): Record<ClockName, Clock> {
  const list = computeClocks({ targets, events, severity: null, disclosureAt: null, now, dueSoonMs: DAY, ...extra });
  return Object.fromEntries(list.map((c) => [c.name, c])) as Record<ClockName, Clock>;
}
const dueOf = (clock: Clock) => ('dueAt' in clock.status ? clock.status.dueAt.toISOString() : clock.status.kind);

describe('the seed policies’ deadlines', () => {
  // Monday 2026-11-23 10:00 UTC.
  const received: ClockEvent = { type: 'received', at: at('2026-11-23T10:00:00Z') };

  it('Peyghom: acknowledge within 48 hours; critical as soon as possible, high within 30 days, medium and low with the next release', () => {
    const { targets } = { targets: policyOf('peyghom').response_targets };
    const accepted: ClockEvent = { type: 'accepted', at: at('2026-11-24T09:00:00Z') };
    const now = at('2026-11-24T12:00:00Z');
    expect(dueOf(clocks(targets, [received], now).acknowledgement)).toBe('2026-11-25T10:00:00.000Z');
    expect(clocks(targets, [received, accepted], now, { severity: 'critical' }).fix.status).toEqual({ kind: 'no_deadline', target: 'asap' });
    expect(dueOf(clocks(targets, [received, accepted], now, { severity: 'high' }).fix)).toBe('2026-12-24T09:00:00.000Z');
    expect(clocks(targets, [received, accepted], now, { severity: 'low' }).fix.status).toEqual({ kind: 'no_deadline', target: 'next_release' });
  });

  it('Leher: acknowledge within 48 hours, initial assessment within 5 business days', () => {
    const targets = policyOf('leher').response_targets;
    const friday: ClockEvent = { type: 'received', at: at('2026-11-27T16:00:00Z') };
    const result = clocks(targets, [friday], at('2026-11-28T00:00:00Z'));
    expect(dueOf(result.acknowledgement)).toBe('2026-11-29T16:00:00.000Z');
    // Friday 16:00 + 5 business days = the next Friday 16:00.
    expect(dueOf(result.initial_assessment)).toBe('2026-12-04T16:00:00.000Z');
  });

  it('PEFT Studio: acknowledge within 24 hours, assess within 7 days, fix within 30 days', () => {
    const targets = policyOf('peft-studio').response_targets;
    const accepted: ClockEvent = { type: 'accepted', at: at('2026-11-26T10:00:00Z') };
    const result = clocks(targets, [received, accepted], at('2026-11-26T11:00:00Z'), { severity: 'medium' });
    expect(dueOf(clocks(targets, [received], at('2026-11-23T11:00:00Z')).acknowledgement)).toBe('2026-11-24T10:00:00.000Z');
    expect(result.initial_assessment.status).toMatchObject({ kind: 'met', at: accepted.at });
    expect(dueOf(result.fix)).toBe('2026-12-26T10:00:00.000Z');
  });

  it('PayQI: respond within 48 hours, update every 7 days, fix typically within 30–90 days', () => {
    const targets = policyOf('payqi').response_targets;
    const ack: ClockEvent = { type: 'acknowledged', at: at('2026-11-24T10:00:00Z') };
    const accepted: ClockEvent = { type: 'accepted', at: at('2026-11-25T10:00:00Z') };
    const result = clocks(targets, [received, ack, accepted], at('2026-11-25T11:00:00Z'), { severity: 'high' });
    expect(result.acknowledgement.status).toMatchObject({ kind: 'met', earlyByMs: DAY });
    expect(dueOf(result.status_update)).toBe('2026-12-02T10:00:00.000Z');
    // A range is promised at its outer bound.
    expect(dueOf(result.fix)).toBe('2027-02-23T10:00:00.000Z');
  });

  it('the web API template: acknowledge within 48 hours, assess within 7 days, resolve within 30 days', () => {
    const targets = policyOf('example-web-api').response_targets;
    const accepted: ClockEvent = { type: 'accepted', at: at('2026-11-30T10:00:00Z') };
    const result = clocks(targets, [received, accepted], at('2026-12-01T00:00:00Z'), { severity: 'critical' });
    expect(dueOf(clocks(targets, [received], at('2026-11-23T11:00:00Z')).acknowledgement)).toBe('2026-11-25T10:00:00.000Z');
    expect(result.initial_assessment.status).toMatchObject({ kind: 'met' });
    expect(dueOf(result.fix)).toBe('2026-12-30T10:00:00.000Z');
  });
});

describe('clock states', () => {
  const targets = policyOf('leher').response_targets;
  const received: ClockEvent = { type: 'received', at: at('2026-11-23T10:00:00Z') };

  it('goes from on track to due soon to breached, and records how late or early it was met', () => {
    expect(clocks(targets, [received], at('2026-11-23T12:00:00Z')).acknowledgement.status.kind).toBe('on_track');
    expect(clocks(targets, [received], at('2026-11-24T12:00:00Z')).acknowledgement.status.kind).toBe('due_soon');
    expect(clocks(targets, [received], at('2026-11-25T13:00:00Z')).acknowledgement.status).toMatchObject({ kind: 'breached', byMs: 3 * HOUR, resolvedAt: null });
    const late = clocks(targets, [received, { type: 'acknowledged', at: at('2026-11-25T11:00:00Z') }], at('2026-11-26T00:00:00Z'));
    expect(late.acknowledgement.status).toMatchObject({ kind: 'breached', byMs: HOUR, resolvedAt: at('2026-11-25T11:00:00Z') });
  });

  it('pauses while waiting on the reporter and resumes with the time added', () => {
    const asked: ClockEvent = { type: 'needs_info', at: at('2026-11-24T10:00:00Z') };
    const waiting = clocks(targets, [received, asked], at('2026-11-30T10:00:00Z'));
    expect(waiting.initial_assessment.status.kind).toBe('paused');
    const answered: ClockEvent = { type: 'info_provided', at: at('2026-11-26T10:00:00Z') };
    const resumed = clocks(targets, [received, asked, answered], at('2026-11-26T11:00:00Z'));
    // 5 business days (Mon 10:00 → Mon 10:00) plus the two days waited: Wednesday 10:00.
    expect(dueOf(resumed.initial_assessment)).toBe('2026-12-02T10:00:00.000Z');
  });
});

const historyArbitrary = fc
  .array(fc.record({ type: fc.constantFrom<ClockEvent['type']>('acknowledged', 'needs_info', 'info_provided', 'status_update', 'accepted'), gapHours: fc.integer({ min: 1, max: 200 }) }), { maxLength: 8 })
  .map((steps) => {
    let t = Date.UTC(2026, 0, 5, 9);
    const events: ClockEvent[] = [{ type: 'received', at: new Date(t) }];
    for (const step of steps) {
      t += step.gapHours * HOUR;
      events.push({ type: step.type, at: new Date(t) });
    }
    return events;
  });

describe('clock properties', () => {
  const targets = policyOf('leher').response_targets;
  const now = new Date(Date.UTC(2026, 6, 1));

  it('pausing never shortens a deadline', () => {
    fc.assert(
      fc.property(historyArbitrary, fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), (events, startOffset, length) => {
        const start = new Date(events[0]!.at.getTime() + startOffset * HOUR);
        const end = start.getTime() + length * HOUR;
        // A new pause: not ending one already open, and with nothing else happening inside it.
        const overlaps = pauses(events, now).some((p) => p.open || (start < p.end && end > p.start.getTime()));
        fc.pre(!overlaps && !events.some((e) => e.at >= start && e.at.getTime() <= end));
        const withPause = [...events, { type: 'needs_info' as const, at: start }, { type: 'info_provided' as const, at: new Date(start.getTime() + length * HOUR) }].sort((a, b) => a.at.getTime() - b.at.getTime());
        const before = clocks(targets, events, now);
        const after = clocks(targets, withPause, now);
        for (const name of ['acknowledgement', 'initial_assessment'] as const) {
          const a = before[name].status;
          const b = after[name].status;
          if ('dueAt' in a && 'dueAt' in b) expect(b.dueAt.getTime()).toBeGreaterThanOrEqual(a.dueAt.getTime());
        }
      }),
    );
  });

  it('business-day deadlines never fall outside working days', () => {
    const calendar = workCalendar(targets.timezone, targets.business_days.weekdays, targets.business_days.holidays);
    fc.assert(
      fc.property(historyArbitrary, (events) => {
        const status = clocks(targets, events, now).initial_assessment.status;
        if ('dueAt' in status) expect(isBusinessDay(new TZDate(status.dueAt.getTime(), targets.timezone), calendar)).toBe(true);
      }),
    );
  });

  it('does not depend on the server’s own timezone', () => {
    const berlin = { ...targets, timezone: 'Europe/Berlin' };
    const original = process.env.TZ;
    try {
      fc.assert(
        fc.property(historyArbitrary, (events) => {
          process.env.TZ = 'America/Los_Angeles';
          const west = JSON.stringify(computeClocks({ targets: berlin, events, severity: 'high', disclosureAt: null, now, dueSoonMs: DAY }));
          process.env.TZ = 'Asia/Tokyo';
          const east = JSON.stringify(computeClocks({ targets: berlin, events, severity: 'high', disclosureAt: null, now, dueSoonMs: DAY }));
          expect(east).toBe(west);
        }),
        { numRuns: 50 },
      );
    } finally {
      process.env.TZ = original;
    }
  });

  it('keeps the local time of day across a daylight-saving change', () => {
    const berlin = { ...targets, timezone: 'Europe/Berlin' };
    const saturdayBeforeChange: ClockEvent = { type: 'received', at: at('2026-10-24T08:00:00Z') }; // 10:00 CEST
    const result = clocks(berlin, [saturdayBeforeChange], at('2026-10-24T09:00:00Z'));
    // Counting starts Monday 26 October 00:00 local (CET after the change); five business days on is Monday 2 November 00:00 CET.
    expect(dueOf(result.initial_assessment)).toBe('2026-11-01T23:00:00.000Z');
  });
});
