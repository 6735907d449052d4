/**
 * A streamed extract's first batch is handed over on a quiet worker. Reporting it starts a chain of
 * hand-overs (the signal, the run's workflow task, its `sendBatch` starting and reading its rows),
 * each a turn of the worker's event loop; the extract mapping the next records beside them made
 * that chain take 40–120 ms, 30–61 ms with the extract waiting (a burst's first batch, measured
 * by worker timestamps from planned to its rows read).
 * So after reporting its first batch the extract waits until that batch begins sending on this
 * worker — at most `mostMs`, which is all it costs when the batch starts on another worker: the
 * ODS needs far longer to answer the first batch than the extract needs to plan the next.
 */
/** One batch of one entity run. */
const batchKey = (runId: string, batchNo: number): string => `${runId}#${batchNo}`;

export class FirstSends {
  /** Extracts waiting, by batch (`{runId}#{batchNo}`). */
  private readonly waiting = new Map<string, () => void>();

  constructor(private readonly mostMs = 100) {}

  /**
   * Starts waiting for this batch to begin sending (called before it is reported, so a quick
   * start is not missed); the promise ends when it began here, or after `mostMs`.
   */
  waitFor(runId: string, batchNo: number): Promise<void> {
    const key = batchKey(runId, batchNo);
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.waiting.get(key) === done) this.waiting.delete(key);
        resolve();
      };
      const timer = setTimeout(done, this.mostMs);
      timer.unref();
      this.waiting.set(key, done);
    });
  }

  /** The batch's requests are about to go: its extract, if waiting here, goes on. */
  begun(runId: string, batchNo: number): void {
    this.waiting.get(batchKey(runId, batchNo))?.();
  }
}
