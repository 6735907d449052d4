import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES } from './mapper.js';
import { testContext } from './testing.js';
import { calendarRecord, CALENDAR_TYPE_REQUIRED, REPORT_GRADE_LEVELS } from './calendars.js';
import { calendarDateRecord } from './calendarDates.js';
import { calendarCode } from './calendarCode.js';
import { NON_NUMERIC_SCHOOL_ID } from './schoolId.js';

const ctx = testContext([
  {
    codeSet: 'calendar-types',
    schoolId: null,
    code: 'REG',
    mapping: { namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue: '01', auto: false },
  },
  {
    codeSet: 'grade-levels',
    schoolId: null,
    code: '09',
    mapping: { namespace: 'uri://ed-fi.org/GradeLevelDescriptor', codeValue: 'Ninth grade', auto: true },
  },
]);
const row = {
  structureId: 70,
  calendarId: 7,
  schoolId: 3,
  endYear: 2025,
  type: 'REG' as string | null,
  structures: 1,
  edFiSchoolNumber: null,
  stateSchoolNumber: '255901003',
  grades: ['09', '10'],
};

describe('calendarCode (seed 001)', () => {
  it('is the calendar id for a calendar with one schedule structure, calendarId-structureId with more', () => {
    expect(calendarCode(7, 70, 1)).toBe('7');
    expect(calendarCode(7, 70, 2)).toBe('7-70');
  });
});

describe('calendars', () => {
  it('sends the calendar code, the school, the end year and the mapped type, keyed by the schedule structure', () => {
    expect(calendarRecord(row, ctx())).toEqual({
      sourceKey: '70',
      schoolId: 3,
      doc: {
        calendarCode: '7',
        schoolReference: { schoolId: 255901003 },
        schoolYearTypeReference: { schoolYear: 2025 },
        calendarTypeDescriptor: 'uri://tea.texas.gov/CalendarTypeDescriptor#01',
      },
    });
  });

  it("gives the seed's 400 with its fix when the type is empty or not mapped", () => {
    expect(calendarRecord({ ...row, type: null }, ctx()).error).toBe(CALENDAR_TYPE_REQUIRED);
    expect(calendarRecord({ ...row, type: 'SUM' }, ctx()).error).toBe(CALENDAR_TYPE_REQUIRED);
  });

  it("catches a non-numeric school id with the seed's message, and prefers the Ed-Fi school number", () => {
    expect(calendarRecord({ ...row, stateSchoolNumber: '2559A1003' }, ctx()).error).toBe(NON_NUMERIC_SCHOOL_ID);
    expect(calendarRecord({ ...row, stateSchoolNumber: '2559A1003', edFiSchoolNumber: 255901903 }, ctx()).doc.schoolReference).toEqual({ schoolId: 255901903 });
  });

  it('reports no grade levels by default (Texas), and only mapped ones when the preference is on', () => {
    expect(calendarRecord(row, ctx()).doc.gradeLevels).toBeUndefined();
    const on = ctx({ preferences: () => ({ ...DEFAULT_PREFERENCES, options: { [REPORT_GRADE_LEVELS.key]: true } }) });
    expect(calendarRecord(row, on).doc.gradeLevels).toEqual([{ gradeLevelDescriptor: 'uri://ed-fi.org/GradeLevelDescriptor#Ninth grade' }]);
  });
});

describe('calendarDates', () => {
  const day = {
    dayId: 9,
    date: '2024-08-14',
    calendarId: 7,
    structureId: 70,
    structures: 2,
    schoolId: 3,
    endYear: 2025,
    instruction: true,
    event: 'Instructional day',
    edFiSchoolNumber: null,
    stateSchoolNumber: '255901003',
    minutes: 425,
  };

  it('for Texas: the TEA instructional-day event and the operational minutes only', () => {
    expect(calendarDateRecord(day, ctx()).doc).toEqual({
      calendarReference: { calendarCode: '7-70', schoolId: 255901003, schoolYear: 2025 },
      date: '2024-08-14',
      calendarEvents: [{ calendarEventDescriptor: 'uri://tea.texas.gov/CalendarEventDescriptor#01' }],
      _ext: { TX: { schoolDayOperationalMinutes: 425 } },
    });
  });

  it('without the Texas extension: the core event of the day, no minutes', () => {
    const doc = calendarDateRecord({ ...day, instruction: false, event: 'Holiday' }, ctx({ teds: undefined })).doc;
    expect(doc.calendarEvents).toEqual([{ calendarEventDescriptor: 'uri://ed-fi.org/CalendarEventDescriptor#Holiday' }]);
    expect(doc._ext).toBeUndefined();
  });
});
