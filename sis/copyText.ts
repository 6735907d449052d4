/**
 * Encoding rows in Postgres COPY text format. Pure, so the generator can build a district's bytes
 * without a database and tests can prove two runs give the same bytes.
 */
import type { ColumnDef } from './model.js';
import { isoDate } from './dates.js';

export type Value = string | number | boolean | null | undefined | readonly string[];
export type Row = Readonly<Record<string, Value>>;

/** Escapes one text value for COPY text format (backslash, tab, newline, carriage return). */
export function escapeCopyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}

/** A text[] literal: every element double-quoted so commas, braces and spaces survive. */
export function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

export function encodeValue(column: ColumnDef, value: Value): string {
  if (value === null || value === undefined) {
    if (column.notNull) throw new Error(`column ${column.name} may not be NULL`);
    return '\\N';
  }
  switch (column.type) {
    case 'bool':
      if (typeof value !== 'boolean') throw new Error(`column ${column.name} wants a boolean, got ${JSON.stringify(value)}`);
      return value ? 't' : 'f';
    case 'int':
    case 'bigint':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`column ${column.name} wants an integer, got ${JSON.stringify(value)}`);
      return String(value);
    case 'numeric':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`column ${column.name} wants a number, got ${JSON.stringify(value)}`);
      return String(value);
    case 'date':
      // Dates travel as Day numbers inside the generator.
      if (typeof value === 'number') return isoDate(value);
      if (typeof value === 'string') return value;
      throw new Error(`column ${column.name} wants a date, got ${JSON.stringify(value)}`);
    case 'text[]':
      if (!Array.isArray(value)) throw new Error(`column ${column.name} wants a list, got ${JSON.stringify(value)}`);
      return escapeCopyText(arrayLiteral(value));
    default:
      if (typeof value !== 'string') throw new Error(`column ${column.name} wants text, got ${JSON.stringify(value)}`);
      return escapeCopyText(value);
  }
}

/** One COPY line (with its newline) for `row`; a key that is not a column is a bug, so it throws. */
export function encodeRow(table: string, columns: readonly ColumnDef[], row: Row): string {
  let known = 0;
  const fields = columns.map((c) => {
    const v = row[c.name];
    if (c.name in row) known++;
    return encodeValue(c, v);
  });
  if (known !== Object.keys(row).length) {
    const names = new Set(columns.map((c) => c.name));
    const unknown = Object.keys(row).filter((k) => !names.has(k));
    throw new Error(`table ${table} has no column(s) ${unknown.join(', ')}`);
  }
  return `${fields.join('\t')}\n`;
}
