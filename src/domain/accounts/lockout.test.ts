import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterSuccess, isLockedOut, lockDurationSeconds, nextLockout, type LockoutState } from './lockout.ts';

const now = new Date('2026-11-23T12:00:00Z');
const secondsLocked = (state: LockoutState) => (state.lockedUntil === null ? 0 : (state.lockedUntil.getTime() - now.getTime()) / 1000);

/** Applies `failures` consecutive failures at `now`, from a clean state, with the defaults. */
function fail(failures: number, start: LockoutState = afterSuccess(), policy = {}): LockoutState[] {
  const states: LockoutState[] = [];
  let state = start;
  for (let i = 0; i < failures; i += 1) {
    state = nextLockout({ failedCount: state.failedCount + 1, lockoutLevel: state.lockoutLevel, now, ...policy });
    states.push(state);
  }
  return states;
}

describe('nextLockout', () => {
  it('counts the first four failures without locking, locks for 60 s on the fifth', () => {
    const states = fail(5);
    expect(states.slice(0, 4)).toEqual([1, 2, 3, 4].map((failedCount) => ({ lockedUntil: null, lockoutLevel: 0, failedCount })));
    expect(states[4]).toEqual({ lockedUntil: new Date(now.getTime() + 60_000), lockoutLevel: 1, failedCount: 0 });
  });

  it('doubles with each further burst and stops at an hour', () => {
    const locks = fail(5 * 9).filter((state) => state.lockedUntil !== null).map(secondsLocked);
    expect(locks).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });

  it('honours a custom policy', () => {
    const states = fail(3, afterSuccess(), { threshold: 3, baseSeconds: 10, maxSeconds: 15 });
    expect(secondsLocked(states[2]!)).toBe(10);
    const again = fail(3, states[2], { threshold: 3, baseSeconds: 10, maxSeconds: 15 });
    expect(secondsLocked(again[2]!)).toBe(15);
  });

  it('refuses nonsense inputs', () => {
    expect(() => nextLockout({ failedCount: -1, lockoutLevel: 0, now })).toThrow(RangeError);
    expect(() => nextLockout({ failedCount: 1, lockoutLevel: 0.5, now })).toThrow(RangeError);
    expect(() => nextLockout({ failedCount: 1, lockoutLevel: 0, now, threshold: 0 })).toThrow(RangeError);
    expect(() => nextLockout({ failedCount: 1, lockoutLevel: 0, now, baseSeconds: 0 })).toThrow(RangeError);
    expect(() => nextLockout({ failedCount: 1, lockoutLevel: 0, now, baseSeconds: 60, maxSeconds: 30 })).toThrow(RangeError);
    expect(() => nextLockout({ failedCount: 1, lockoutLevel: 0, now: new Date(Number.NaN) })).toThrow(RangeError);
  });

  it('stays finite at absurd levels', () => {
    expect(lockDurationSeconds(5000)).toBe(3600);
    expect(secondsLocked(nextLockout({ failedCount: 5, lockoutLevel: 5000, now }))).toBe(3600);
  });

  it('takes the count including this failure: the stored count + 1, never 0', () => {
    expect(nextLockout({ failedCount: 4, lockoutLevel: 0, now })).toEqual({ lockedUntil: null, lockoutLevel: 0, failedCount: 4 });
    expect(nextLockout({ failedCount: 5, lockoutLevel: 0, now }).lockedUntil).toEqual(new Date(now.getTime() + 60_000));
    // A caller that forgets the + 1 on a clean account is told at once, not silently a step late.
    expect(() => nextLockout({ failedCount: 0, lockoutLevel: 0, now })).toThrow(/stored count \+ 1/);
  });
});

describe('afterSuccess and isLockedOut', () => {
  it('a success resets everything', () => {
    expect(afterSuccess()).toEqual({ lockedUntil: null, lockoutLevel: 0, failedCount: 0 });
    const locked = fail(10).at(-1)!;
    expect(locked.lockoutLevel).toBe(2);
    // After the success, the next lock starts from 60 s again.
    expect(secondsLocked(fail(5, afterSuccess()).at(-1)!)).toBe(60);
  });

  it('is locked until, and not at, lockedUntil', () => {
    const until = new Date(now.getTime() + 60_000);
    expect(isLockedOut(null, now)).toBe(false);
    expect(isLockedOut(until, now)).toBe(true);
    expect(isLockedOut(until, new Date(until.getTime() - 1))).toBe(true);
    expect(isLockedOut(until, until)).toBe(false);
  });
});

describe('properties', () => {
  const policy = fc
    .record({ threshold: fc.integer({ min: 1, max: 20 }), baseSeconds: fc.integer({ min: 1, max: 3600 }), extra: fc.integer({ min: 0, max: 86_400 }) })
    .map(({ threshold, baseSeconds, extra }) => ({ threshold, baseSeconds, maxSeconds: baseSeconds + extra }));
  const level = fc.integer({ min: 0, max: 2000 });

  it('a lock never exceeds maxSeconds and is never shorter than the smaller of base and max', () => {
    fc.assert(
      fc.property(policy, level, fc.nat({ max: 100 }), (p, lockoutLevel, failedCount) => {
        const state = nextLockout({ failedCount: failedCount + 1, lockoutLevel, now, ...p });
        const seconds = secondsLocked(state);
        expect(seconds).toBeLessThanOrEqual(p.maxSeconds);
        if (state.lockedUntil !== null) expect(seconds).toBeGreaterThanOrEqual(p.baseSeconds);
      }),
    );
  });

  it('lock durations never decrease as the level grows', () => {
    fc.assert(
      fc.property(policy, level, level, (p, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(lockDurationSeconds(high, p)).toBeGreaterThanOrEqual(lockDurationSeconds(low, p));
        const lockAt = (lockoutLevel: number) => secondsLocked(nextLockout({ failedCount: p.threshold, lockoutLevel, now, ...p }));
        expect(lockAt(high)).toBeGreaterThanOrEqual(lockAt(low));
      }),
    );
  });

  it('never locks before the threshold, always locks at it', () => {
    fc.assert(
      fc.property(policy, level, (p, lockoutLevel) => {
        const states = fail(p.threshold, { lockedUntil: null, lockoutLevel, failedCount: 0 }, p);
        for (const state of states.slice(0, -1)) expect(state.lockedUntil).toBeNull();
        const last = states.at(-1)!;
        expect(last.lockedUntil).not.toBeNull();
        expect(last.failedCount).toBe(0);
        expect(last.lockoutLevel).toBe(lockoutLevel + 1);
      }),
    );
  });

  it('any sequence of failures and successes stays within bounds', () => {
    fc.assert(
      fc.property(policy, fc.array(fc.boolean(), { maxLength: 200 }), (p, outcomes) => {
        let state = afterSuccess();
        let sinceSuccess = 0;
        for (const succeeded of outcomes) {
          if (succeeded) {
            state = afterSuccess();
            sinceSuccess = 0;
            continue;
          }
          sinceSuccess += 1;
          state = nextLockout({ failedCount: state.failedCount + 1, lockoutLevel: state.lockoutLevel, now, ...p });
          expect(state.failedCount).toBeLessThan(p.threshold);
          expect(state.lockoutLevel).toBe(Math.floor(sinceSuccess / p.threshold));
          expect(state.lockedUntil !== null).toBe(sinceSuccess % p.threshold === 0);
          expect(secondsLocked(state)).toBeLessThanOrEqual(p.maxSeconds);
        }
      }),
    );
  });
});
