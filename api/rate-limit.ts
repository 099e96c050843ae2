/**
 * A small in-memory fixed-window limiter keyed by a string (a client IP).
 * Used for failed authentication attempts: after `limit` failures within
 * `windowMs` the key is blocked until the window ends. Per process: with
 * several API processes behind a balancer each counts on its own, which
 * multiplies the allowance by the number of processes (still bounded).
 */
export type RateLimiterOptions = {
  /** failures allowed per window; the next attempt is refused */
  limit: number;
  windowMs: number;
  /** how many keys to keep before expired windows are pruned */
  maxKeys?: number;
  now?: () => number;
};

export type RateLimitState = { blocked: boolean; retryAfterSeconds: number; remaining: number };

export type RateLimiter = {
  /** whether the key may try now (does not count an attempt) */
  check(key: string): RateLimitState;
  /** counts one failure for the key and returns the state after it */
  fail(key: string): RateLimitState;
  reset(key: string): void;
  size(): number;
};

type Window = { startedAt: number; failures: number };

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10_000;
  const windows = new Map<string, Window>();

  const current = (key: string): Window | undefined => {
    const w = windows.get(key);
    if (w && now() - w.startedAt >= options.windowMs) {
      windows.delete(key);
      return undefined;
    }
    return w;
  };
  const stateOf = (w: Window | undefined): RateLimitState => {
    if (!w) return { blocked: false, retryAfterSeconds: 0, remaining: options.limit };
    const blocked = w.failures >= options.limit;
    return {
      blocked,
      retryAfterSeconds: blocked ? Math.max(1, Math.ceil((w.startedAt + options.windowMs - now()) / 1000)) : 0,
      remaining: Math.max(0, options.limit - w.failures),
    };
  };
  const prune = () => {
    const t = now();
    for (const [key, w] of windows) if (t - w.startedAt >= options.windowMs) windows.delete(key);
    // still too many distinct keys (a spray from many addresses): drop the oldest windows
    if (windows.size > maxKeys) {
      const excess = windows.size - maxKeys;
      let i = 0;
      for (const key of windows.keys()) {
        if (i++ >= excess) break;
        windows.delete(key);
      }
    }
  };

  return {
    check: (key) => stateOf(current(key)),
    fail(key) {
      let w = current(key);
      if (!w) {
        if (windows.size >= maxKeys) prune();
        w = { startedAt: now(), failures: 0 };
        windows.set(key, w);
      }
      w.failures += 1;
      return stateOf(w);
    },
    reset: (key) => void windows.delete(key),
    size: () => windows.size,
  };
}
