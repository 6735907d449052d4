/** Dates as whole days since 1970-01-01 (UTC): cheap to add and compare, formatted once for COPY. */
export type Day = number;

const MS_PER_DAY = 86_400_000;

export function day(iso: string): Day {
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${iso}`);
  return Math.round(ms / MS_PER_DAY);
}

export function isoDate(d: Day): string {
  return new Date(d * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(d: Day): number {
  return (((d + 4) % 7) + 7) % 7;
}

export function isWeekend(d: Day): boolean {
  const w = weekday(d);
  return w === 0 || w === 6;
}

/** The first date on or after `d` that falls on `wd`. */
export function onOrAfter(d: Day, wd: number): Day {
  return d + ((wd - weekday(d) + 7) % 7);
}
