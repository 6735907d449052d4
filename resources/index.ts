/** Every resource mapper, by resource path. */
import type { ResourceMapper } from './mapper.js';
import { calendars } from './calendars.js';
import { calendarDates } from './calendarDates.js';
import { localEducationAgencies } from './localEducationAgencies.js';
import { schools } from './schools.js';

export const MAPPERS: ReadonlyMap<string, ResourceMapper> = new Map([localEducationAgencies, schools, calendars, calendarDates].map((m) => [m.resource, m]));

export function mapperFor(resource: string): ResourceMapper | undefined {
  return MAPPERS.get(resource);
}
