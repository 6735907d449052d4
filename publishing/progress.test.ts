import { describe, expect, it } from 'vitest';
import { addProgressSample, progressBar, type ProgressSample } from './progress.js';

const sample = (at: number): ProgressSample => ({ at, published: at * 10, dependency: 0, error: 0 });

describe('publish progress samples', () => {
  it('keeps every sample until the series is full', () => {
    let s: ProgressSample[] = [];
    for (let i = 0; i < 5; i++) s = addProgressSample(s, sample(i), 5);
    expect(s.map((x) => x.at)).toEqual([0, 1, 2, 3, 4]);
  });

  it('halves a full series, keeping the first and the newest point, and never grows past the limit', () => {
    let s: ProgressSample[] = [];
    for (let i = 0; i < 1000; i++) {
      s = addProgressSample(s, sample(i), 8);
      expect(s.length).toBeLessThanOrEqual(8);
    }
    expect(s[0]?.at).toBe(0);
    expect(s.at(-1)?.at).toBe(999);
    expect(s.map((x) => x.at)).toEqual([...s.map((x) => x.at)].sort((a, b) => a - b));
  });
});

describe('the command line progress bar', () => {
  it('fills with the batches done and counts what was sent by outcome', () => {
    const bar = progressBar({ phase: 'publishing', batchesDone: 10, batchesTotal: 40, samples: [{ at: 0, published: 5380, dependency: 20, error: 0 }] }, 8);
    expect(bar).toBe('[##------] 10 of 40 batches · 5,400 sent (5,380 published, 20 dependency, 0 error)');
  });

  it('says processing before the first batch, and draws an empty bar when nothing is planned', () => {
    expect(progressBar({ phase: 'processing', batchesDone: 0, batchesTotal: 0, samples: [] })).toBe('Processing (extracting and planning)…');
    expect(progressBar({ phase: 'publishing', batchesDone: 0, batchesTotal: 0, samples: [] }, 4)).toBe(
      '[----] 0 of 0 batches · 0 sent (0 published, 0 dependency, 0 error)',
    );
  });
});
