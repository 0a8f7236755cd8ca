import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, sameTarget } from './targets.ts';
import { describeCredit, describeTarget, describeTargetWithNote, describeWeekdays } from './describe.ts';

describe('parseDuration', () => {
  it.each([
    ['48h', { amount: 48, unit: 'hours', business: false }],
    ['1 hour', { amount: 1, unit: 'hours', business: false }],
    ['5d', { amount: 5, unit: 'days', business: false }],
    ['7 days', { amount: 7, unit: 'days', business: false }],
    ['5bd', { amount: 5, unit: 'days', business: true }],
    ['5 Business Days', { amount: 5, unit: 'days', business: true }],
  ])('reads %s', (text, expected) => {
    expect(parseDuration(text)).toEqual({ kind: 'duration', ...expected });
  });

  it.each(['', '0h', '48', 'h48', '2 weeks', '-1d', '1.5d', '48 business hours', '3651 days'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('writes the canonical form back', () => {
    expect(formatDuration({ kind: 'duration', amount: 1, unit: 'days', business: true })).toBe('1 business day');
    expect(formatDuration({ kind: 'duration', amount: 48, unit: 'hours', business: false })).toBe('48 hours');
  });
});

describe('describeTarget', () => {
  const days = (amount: number, business = false) => ({ kind: 'duration' as const, amount, unit: 'days' as const, business });

  it('says each kind in plain English', () => {
    expect(describeTarget({ kind: 'duration', amount: 48, unit: 'hours', business: false, typical: false })).toBe('within 48 hours');
    expect(describeTarget({ ...days(5, true), typical: false })).toBe('within 5 business days');
    expect(describeTarget({ ...days(30), typical: true })).toBe('typically within 30 days');
    expect(describeTarget({ kind: 'range', min: days(30), max: days(90) })).toBe('typically within 30–90 days');
    expect(describeTarget({ kind: 'asap' })).toBe('as soon as possible');
    expect(describeTarget({ kind: 'next_release' })).toBe('in the next regular release');
  });

  it('appends the note', () => {
    expect(describeTargetWithNote({ kind: 'asap', note: 'critical only' })).toBe('as soon as possible (critical only)');
  });

  it('compares targets regardless of property order', () => {
    expect(sameTarget({ kind: 'asap', note: 'x' }, { note: 'x', kind: 'asap' })).toBe(true);
    expect(sameTarget({ ...days(5), typical: false }, { ...days(5), typical: true })).toBe(false);
  });
});

describe('describeWeekdays and describeCredit', () => {
  it('collapses consecutive weekdays', () => {
    expect(describeWeekdays(['fri', 'mon', 'tue', 'wed', 'thu'])).toBe('Monday to Friday');
    expect(describeWeekdays(['sun', 'mon'])).toBe('Monday and Sunday');
    expect(describeWeekdays(['mon', 'wed', 'fri'])).toBe('Monday, Wednesday and Friday');
  });

  it('states the credit rule and where credit appears', () => {
    expect(describeCredit({ default: 'credited_with_permission', where: ['release notes', 'advisories'] })).toBe(
      'With your permission, we credit you in release notes and advisories.',
    );
    expect(describeCredit({ default: 'credited_unless_anonymous', where: [] })).toBe('We credit reporters, unless you ask to remain anonymous.');
    expect(describeCredit({ default: 'none', where: [] })).toBe('We do not credit reporters publicly.');
  });
});
