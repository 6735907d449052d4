/**
 * A running category's progress over time, for the dashboard's chart: cumulative counts sampled
 * after each batch, kept to a fixed number of points (every other point dropped when full) so a
 * long run's query answer stays small.
 */

export interface ProgressSample {
  /** Milliseconds since the epoch (workflow time). */
  readonly at: number;
  readonly published: number;
  readonly dependency: number;
  readonly error: number;
  /** Requests the ODS was allowed at once (adaptive connections), when known. */
  readonly connections?: number;
}

export interface CategoryProgress {
  readonly phase: 'processing' | 'publishing';
  readonly batchesDone: number;
  readonly batchesTotal: number;
  readonly samples: readonly ProgressSample[];
}

export const MAX_PROGRESS_SAMPLES = 120;

/** Appends a sample; when the series is full, halves it (keeping the first and newest points). */
export function addProgressSample(samples: readonly ProgressSample[], sample: ProgressSample, max = MAX_PROGRESS_SAMPLES): ProgressSample[] {
  const next = [...samples, sample];
  if (next.length <= max) return next;
  return next.filter((_, i) => i % 2 === 0 || i === next.length - 1);
}

/** The command line's bar: `[######------] 12 of 40 batches · 5,400 sent (5,380 published, 20 dependency, 0 error)`. */
export function progressBar(p: CategoryProgress, width = 24): string {
  if (p.phase === 'processing') return 'Processing (extracting and planning)…';
  const last = p.samples.at(-1) ?? { published: 0, dependency: 0, error: 0 };
  const n = (x: number): string => x.toLocaleString('en-US');
  const filled = p.batchesTotal > 0 ? Math.min(width, Math.round((p.batchesDone / p.batchesTotal) * width)) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.batchesDone} of ${p.batchesTotal} batches · ${n(last.published + last.dependency + last.error)} sent (${n(last.published)} published, ${n(last.dependency)} dependency, ${n(last.error)} error)`;
}
