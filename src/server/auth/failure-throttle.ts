/**
 * Counts failures per key (an IP address, an email) in a sliding window and refuses further tries
 * once the limit is reached, with how long to wait. In memory: one server process. Several
 * processes behind a balancer would need a shared store (later slice).
 */
export interface ThrottleVerdict {
  allowed: boolean;
  /** Seconds until the oldest counted failure leaves the window (when refused). */
  retryAfterSeconds: number;
}

export interface FailureThrottle {
  check(key: string): ThrottleVerdict;
  recordFailure(key: string): void;
  reset(key: string): void;
}

export function createFailureThrottle(options: {
  limit: number;
  windowMs: number;
  now: () => number;
}): FailureThrottle {
  const failures = new Map<string, number[]>();

  function recent(key: string): number[] {
    const since = options.now() - options.windowMs;
    const kept = (failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  }

  return {
    check(key) {
      const times = recent(key);
      if (times.length < options.limit) return { allowed: true, retryAfterSeconds: 0 };
      const oldest = times[0] ?? options.now();
      const waitMs = oldest + options.windowMs - options.now();
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    },
    recordFailure(key) {
      const times = recent(key);
      times.push(options.now());
      failures.set(key, times);
    },
    reset(key) {
      failures.delete(key);
    },
  };
}
