/** Every resource mapper, by resource path. */
import type { ResourceMapper } from './mapper.js';
import { calendars } from './calendars.js';
import { calendarDates } from './calendarDates.js';

export const MAPPERS: ReadonlyMap<string, ResourceMapper> = new Map([calendars, calendarDates].map((m) => [m.resource, m]));

export function mapperFor(resource: string): ResourceMapper | undefined {
  return MAPPERS.get(resource);
}
