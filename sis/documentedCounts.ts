/**
 * Reads the row-count and dirty-profile tables of sis/README.md, so tests can hold the generator
 * to what the documentation promises (and the documentation to what the generator does).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { District, DistrictSize } from './generate.js';

const README = path.join(import.meta.dirname, 'README.md');
const number = (cell: string): number => Number(cell.replace(/[*,]/g, ''));

function tableAfter(readme: string, heading: string): string[][] {
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`sis/README.md has no "${heading}"`);
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** Documented rows per table for a clean seed-1 district of `size` (the README's "Row counts" table). */
export function documentedRowCounts(size: DistrictSize): Record<string, number> {
  const rows = tableAfter(readFileSync(README, 'utf8'), 'Row counts (seed 1, clean');
  const column = rows[0].indexOf(size);
  if (column < 0) throw new Error(`sis/README.md's row counts have no column for ${size}`);
  const out: Record<string, number> = {};
  for (const row of rows.slice(2)) out[row[0].replace(/\*/g, '').replace(/ \(.*\)$/, '')] = number(row[column]);
  return out;
}

/** The same figures from a generated district, under the README's row names. */
export function generatedRowCounts(district: District, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of names) out[name] = name === 'all tables' ? Object.values(district.counts).reduce((a, b) => a + b, 0) : (district.counts[name] ?? 0);
  return out;
}

/** Documented dirty counts of a seed-1 `--dirty all` district of `size`, as "n unit[, n unit]" text per profile. */
export function documentedDirtyCounts(size: DistrictSize): Record<string, string> {
  const rows = tableAfter(readFileSync(README, 'utf8'), '| profile | situation |');
  const column = rows[0].indexOf(size);
  const out: Record<string, string> = {};
  for (const row of rows.slice(2)) {
    let cell = row[column];
    // "same" repeats the tiny column.
    if (cell === 'same') cell = row[rows[0].indexOf('tiny')]!;
    out[row[0].replace(/`/g, '')] = cell;
  }
  return out;
}

/** A district's dirty counts in the README's words ("3 codes, 9 records"). */
export function dirtyCountText(district: District): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [profile, counts] of Object.entries(district.dirtyCounts)) {
    out[profile] = Object.entries(counts ?? {})
      .map(([unit, n]) => `${n.toLocaleString('en-US')} ${unit}`)
      .join(', ');
  }
  return out;
}
