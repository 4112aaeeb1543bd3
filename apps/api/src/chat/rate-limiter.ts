/**
 * Fixed-window message counters per key (a socket, a session, an IP address): at most `limit`
 * messages in each `windowMs`. In process: with several replicas each counts what it receives, which
 * bounds a session (pinned to one socket) and a socket exactly and an IP address per replica.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private sweptAt = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts one message for `key`: the milliseconds to wait when over the limit, else 0. */
  take(key: string, now = Date.now()): number {
    if (this.limit === 0) return 0;
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    if (window.count >= this.limit) return window.endsAt - now;
    window.count++;
    return 0;
  }

  /** Drops finished windows now and then, so keys of gone sockets do not pile up. */
  private sweep(now: number): void {
    if (now - this.sweptAt < this.windowMs) return;
    this.sweptAt = now;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
