import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { FETCH_ROWS, FIRST_FETCH_ROWS, rampedRows, rowsOf } from './mapper.js';

/** A SIS connection whose query hands back a cursor over `n` rows, noting each read's size. */
function sisWith(n: number): { sis: pg.ClientBase; reads: number[]; closed: () => boolean } {
  const reads: number[] = [];
  let at = 0;
  let closed = false;
  const cursor = {
    read: (size: number): Promise<Array<{ id: number }>> => {
      reads.push(size);
      const rows = Array.from({ length: Math.max(0, Math.min(size, n - at)) }, (_, i) => ({ id: at + i }));
      at += rows.length;
      return Promise.resolve(rows);
    },
    close: (): Promise<void> => {
      closed = true;
      return Promise.resolve();
    },
  };
  return { sis: { query: () => cursor } as unknown as pg.ClientBase, reads, closed: () => closed };
}

describe("an extract's rows, streamed through a cursor", () => {
  /** The fetches a read of `n` rows makes: doubling from the first until whole, one past the last full one (a short one ends it). */
  const fetchesOf = (n: number): number[] => {
    const sizes: number[] = [];
    for (let at = 0, k = 0; ; k++) {
      const size = rampedRows(k, FETCH_ROWS);
      sizes.push(size);
      if (n - at < size) return sizes;
      at += size;
    }
  };

  it('reads a small first fetch (the first streamed batch goes out sooner), doubling to whole fetches, and yields every row once, in order', async () => {
    expect(fetchesOf(18_064)).toEqual([128, 256, 512, 1024, 2048, 4096, 5000, 5000, 5000]);
    for (const n of [0, FIRST_FETCH_ROWS - 1, FIRST_FETCH_ROWS, FIRST_FETCH_ROWS + 1, 8064, 8064 + FETCH_ROWS + 7]) {
      const { sis, reads, closed } = sisWith(n);
      const ids: number[] = [];
      for await (const row of rowsOf<{ id: number }>(sis, 'SELECT', [])) ids.push(row.id);
      expect(ids).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(reads).toEqual(fetchesOf(n));
      expect(closed()).toBe(true);
    }
  });

  /** A SIS connection that answers a declared cursor's statements over `n` rows, noting each statement. */
  function declaredOver(n: number, failAtFetch?: number): { sis: pg.ClientBase; said: string[] } {
    const said: string[] = [];
    let at = 0;
    let fetches = 0;
    const query = (sql: string): Promise<{ rows: Array<{ id: number }> }> => {
      said.push(sql.split(' ').slice(0, 2).join(' '));
      const fetch = /^FETCH (\d+)/.exec(sql);
      if (fetch === null) return Promise.resolve({ rows: [] });
      if (++fetches === failAtFetch) return Promise.reject(new Error('the replica went away'));
      const rows = Array.from({ length: Math.max(0, Math.min(Number(fetch[1]), n - at)) }, (_, i) => ({ id: at + i }));
      at += rows.length;
      return Promise.resolve({ rows });
    };
    return { sis: { query } as unknown as pg.ClientBase, said };
  }

  it('reads a whole resource through a declared cursor in a read-only transaction (first rows planned to come fast), ended when done', async () => {
    const n = FIRST_FETCH_ROWS + FETCH_ROWS + 3;
    const { sis, said } = declaredOver(n);
    const ids: number[] = [];
    for await (const row of rowsOf<{ id: number }>(sis, 'SELECT id FROM enrollment', [2025], 'whole')) ids.push(row.id);
    expect(ids).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(said).toEqual(['BEGIN READ', 'DECLARE edx_whole_read', ...fetchesOf(n).map((size) => `FETCH ${size}`), 'COMMIT']);
  });

  it('ends the whole read’s transaction when the reader stops early, and rolls it back when a fetch fails', async () => {
    const early = declaredOver(FIRST_FETCH_ROWS * 3);
    for await (const row of rowsOf<{ id: number }>(early.sis, 'SELECT', [], 'whole')) if (row.id === 10) break;
    expect(early.said.at(-1)).toBe('COMMIT');
    const broken = declaredOver(FIRST_FETCH_ROWS * 3, 2);
    const read = async (): Promise<void> => {
      for await (const row of rowsOf<{ id: number }>(broken.sis, 'SELECT', [], 'whole')) void row;
    };
    await expect(read()).rejects.toThrow('the replica went away');
    expect(broken.said.at(-1)).toBe('ROLLBACK');
  });
});
