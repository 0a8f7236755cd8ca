const MAX_BACKOFF_MS = 60 * 60_000;

/** 1, 2, 4 … minutes, capped at an hour, with jitter so a failing server is not hit by every retry at once. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(60_000 * 2 ** attempts, MAX_BACKOFF_MS);
  return Math.round(base * (0.5 + random() / 2));
}
