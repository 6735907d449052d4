import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { FETCH_ROWS, FIRST_FETCH_ROWS, rowsOf } from './mapper.js';

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
  it('reads a small first fetch (the first streamed batch goes out sooner), then whole fetches, and yields every row once, in order', async () => {
    for (const n of [0, FIRST_FETCH_ROWS - 1, FIRST_FETCH_ROWS, FIRST_FETCH_ROWS + 1, FIRST_FETCH_ROWS + FETCH_ROWS, FIRST_FETCH_ROWS + FETCH_ROWS + 7]) {
      const { sis, reads, closed } = sisWith(n);
      const ids: number[] = [];
      for await (const row of rowsOf<{ id: number }>(sis, 'SELECT', [])) ids.push(row.id);
      expect(ids).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(reads[0]).toBe(FIRST_FETCH_ROWS);
      expect(reads.slice(1).every((size) => size === FETCH_ROWS)).toBe(true);
      // One read past the last full fetch tells the end; none after a short one.
      expect(reads.length).toBe(n < FIRST_FETCH_ROWS ? 1 : 2 + Math.floor((n - FIRST_FETCH_ROWS) / FETCH_ROWS));
      expect(closed()).toBe(true);
    }
  });
});
