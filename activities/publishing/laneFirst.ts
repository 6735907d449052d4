/**
 * The dependency lane goes first on this worker. A bulk wake (the lane's Now – Dependencies run)
 * publishes beside the category that woke it, and both share the worker's event loop and the
 * app database: measured on the storm (bench/studentStorm.ts), a wake of 4,000 Student IDs took
 * 1.3 s alone and 5–7 s beside the enrollments' batches, so the wake fell behind what the
 * enrollments kept waking. While a profile's lane works, that profile's other batches wait before
 * they start — in-flight ones finish — so the woken records get the worker; the other run goes on
 * in the gaps between wakes, and after at most `mostMs` whatever happens (a wake that stalls must
 * not stall the run that feeds it).
 */
export class LaneFirst {
  /** Lane activities running, by profile. */
  private readonly busy = new Map<string, number>();
  /** Batches waiting for the lane, by profile. */
  private readonly waiting = new Map<string, Set<() => void>>();
  /** The lane just went idle: waiters start once it stays idle this long (its next activity is usually a moment away). */
  private readonly settling = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly graceMs = 200,
    private readonly mostMs = 10_000,
    /** Each wait that happened (the worker's metrics count them: a support engineer sees the lane holding a run back). */
    private readonly waited: (profileId: string, ms: number) => void = () => undefined,
  ) {}

  /** Runs one activity of the profile's lane: the profile's other batches wait for it. */
  async lane<T>(profileId: string, fn: () => Promise<T>): Promise<T> {
    clearTimeout(this.settling.get(profileId));
    this.settling.delete(profileId);
    this.busy.set(profileId, (this.busy.get(profileId) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      const left = (this.busy.get(profileId) ?? 1) - 1;
      if (left > 0) this.busy.set(profileId, left);
      else {
        this.busy.delete(profileId);
        const timer = setTimeout(() => {
          this.settling.delete(profileId);
          this.release(profileId);
        }, this.graceMs);
        timer.unref();
        this.settling.set(profileId, timer);
      }
    }
  }

  /** Waits while the profile's lane works, at most `mostMs`: how long it waited (ms). */
  async giveWay(profileId: string): Promise<number> {
    if (!this.busy.has(profileId) && !this.settling.has(profileId)) return 0;
    const began = performance.now();
    await new Promise<void>((resolve) => {
      const waiters = this.waiting.get(profileId) ?? new Set<() => void>();
      this.waiting.set(profileId, waiters);
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.mostMs);
      timer.unref();
      waiters.add(done);
    });
    const ms = performance.now() - began;
    this.waited(profileId, ms);
    return ms;
  }

  private release(profileId: string): void {
    const waiters = this.waiting.get(profileId);
    this.waiting.delete(profileId);
    for (const done of waiters ?? []) done();
  }
}
