/**
 * Account lockout arithmetic (ASVS 5.0 V6.3: defences against credential stuffing and
 * brute force). Pure: the caller passes the stored state and `now`, and stores what comes back
 * (`app_user.failed_login_count`, `lockout_level`, `locked_until`).
 *
 * After `threshold` consecutive failures the account is locked for `baseSeconds · 2^level`,
 * capped at `maxSeconds`; the failure count restarts and the level rises, so each further burst
 * of `threshold` failures locks for twice as long (60 s, 2 min, 4 min … 1 h by default). A
 * successful login resets everything (`afterSuccess`).
 *
 * Threats answered and weighed:
 * - Online guessing: at the defaults an attacker gets 5 guesses per lock period, about 120 guesses
 *   a day once the cap is reached, per account.
 * - Lockout as denial of service: anyone who knows an email can lock its owner out. Locks are
 *   therefore temporary and capped (never permanent), and the cap is an hour, not a day.
 *   Per-source rate limits belong in front of this, not instead of it.
 * - While `isLockedOut` is true the service must refuse before verifying the password (no
 *   oracle, no argon2 work), must not call `nextLockout` (a locked account's count does not
 *   advance), and should answer exactly as for a wrong password, so the lock does not confirm
 *   that the account exists.
 */

export interface LockoutState {
  lockedUntil: Date | null;
  lockoutLevel: number;
  failedCount: number;
}

export interface LockoutPolicy {
  /** Consecutive failures that trigger a lock. Default 5. */
  threshold?: number;
  /** Lock duration at level 0, in seconds. Default 60. */
  baseSeconds?: number;
  /** Longest lock, in seconds. Default 3600. */
  maxSeconds?: number;
}

/** How long a lock at `level` lasts: base · 2^level, capped. Never decreasing in level. */
export function lockDurationSeconds(level: number, { baseSeconds = 60, maxSeconds = 3600 }: Omit<LockoutPolicy, 'threshold'> = {}): number {
  checkCount('lockoutLevel', level);
  checkDurations(baseSeconds, maxSeconds);
  // 2 ** level becomes Infinity for huge levels; Math.min keeps the cap exact.
  return Math.min(baseSeconds * 2 ** level, maxSeconds);
}

/**
 * Records a failed attempt. `failedCount` is the number of consecutive failures *including the
 * one being recorded* (stored count + 1), so it is at least 1; passing the stored count
 * unincremented would lock one attempt late, and a stored 0 throws so that mistake is loud.
 * Store the result. It carries a `lockedUntil` only when this failure reaches the threshold;
 * otherwise `failedCount` comes back unchanged and `lockedUntil` is null.
 */
export function nextLockout({
  failedCount,
  lockoutLevel,
  now,
  threshold = 5,
  baseSeconds = 60,
  maxSeconds = 3600,
}: { failedCount: number; lockoutLevel: number; now: Date } & LockoutPolicy): LockoutState {
  if (!Number.isSafeInteger(failedCount) || failedCount < 1) {
    throw new RangeError('lockout: failedCount must count the failure being recorded (stored count + 1), so at least 1');
  }
  checkCount('lockoutLevel', lockoutLevel);
  if (!Number.isSafeInteger(threshold) || threshold < 1) throw new RangeError('lockout: threshold must be a positive integer');
  checkDurations(baseSeconds, maxSeconds);
  if (Number.isNaN(now.getTime())) throw new RangeError('lockout: now is not a valid date');

  if (failedCount < threshold) return { lockedUntil: null, lockoutLevel, failedCount };
  const seconds = lockDurationSeconds(lockoutLevel, { baseSeconds, maxSeconds });
  return { lockedUntil: new Date(now.getTime() + seconds * 1000), lockoutLevel: lockoutLevel + 1, failedCount: 0 };
}

/** The state to store after a successful login: no failures, level back to zero, unlocked. */
export function afterSuccess(): LockoutState {
  return { lockedUntil: null, lockoutLevel: 0, failedCount: 0 };
}

/** True while a lock is in force. The boundary instant is unlocked. */
export function isLockedOut(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

function checkCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`lockout: ${name} must be a non-negative integer`);
}

function checkDurations(baseSeconds: number, maxSeconds: number): void {
  if (!Number.isFinite(baseSeconds) || baseSeconds <= 0) throw new RangeError('lockout: baseSeconds must be positive');
  if (!Number.isFinite(maxSeconds) || maxSeconds < baseSeconds) throw new RangeError('lockout: maxSeconds must be at least baseSeconds');
}
