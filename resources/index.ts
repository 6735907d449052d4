/** Every resource mapper, by resource path. */
import type { ResourceMapper } from './mapper.js';
import { calendars } from './calendars.js';
import { calendarDates } from './calendarDates.js';
import { localEducationAgencies } from './localEducationAgencies.js';
import { schools } from './schools.js';
import { courses } from './courses.js';
import { locations } from './locations.js';
import { classPeriods } from './classPeriods.js';
import { gradingPeriods, sessions } from './sessions.js';
import { courseOfferings, sections } from './schedules.js';

export const MAPPERS: ReadonlyMap<string, ResourceMapper> = new Map([localEducationAgencies, schools, courses, locations, classPeriods, calendars, calendarDates, gradingPeriods, sessions, courseOfferings, sections].map((m) => [m.resource, m]));

export function mapperFor(resource: string): ResourceMapper | undefined {
  return MAPPERS.get(resource);
}
