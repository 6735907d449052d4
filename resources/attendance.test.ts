import { describe, expect, it } from 'vitest';
import { mapped, testContext } from './testing.js';
import { schoolAttendanceRecord } from './studentSchoolAttendanceEvents.js';
import { sectionAttendanceRecord } from './studentSectionAttendanceEvents.js';
import { NO_SESSION } from './attendanceEvents.js';
import { UNIQUE_ID_MISSING } from './students.js';
import { MISSING_SECTION_MEETING } from './schedules.js';
import { recentSince, RECENT_DAYS } from '../publishing/publishOptions.js';

const ctx = testContext([mapped('attendance-categories', 'E', 'uri://ed-fi.org/AttendanceEventCategoryDescriptor', 'Excused Absence')]);
const event = {
  eventId: 12,
  schoolId: 3,
  endYear: 2025,
  uniqueId: '4000001619',
  firstName: 'Phoebe',
  lastName: 'Oates',
  studentNumber: '201619',
  eventDate: '2024-10-02',
  code: 'E',
  minutes: null,
  termState: 'Fall Semester',
  edFiSchoolNumber: null,
  stateSchoolNumber: '149913001',
};

describe('Attendance', () => {
  it('sends a daily absence in the session of its day, a whole day long', () => {
    expect(schoolAttendanceRecord(event, ctx()).doc).toEqual({
      attendanceEventCategoryDescriptor: 'uri://ed-fi.org/AttendanceEventCategoryDescriptor#Excused Absence',
      eventDate: '2024-10-02',
      eventDuration: 1,
      schoolReference: { schoolId: 149913001 },
      sessionReference: { schoolId: 149913001, schoolYear: 2025, sessionName: '2024-2025 Fall Semester' },
      studentReference: { studentUniqueId: '4000001619' },
    });
  });

  it('sends an unmapped code as a local descriptor and a tardy with its minutes', () => {
    const tardy = schoolAttendanceRecord({ ...event, code: 'T', minutes: 12 }, ctx()).doc;
    expect(tardy).toMatchObject({
      attendanceEventCategoryDescriptor: 'uri://local.texas.gov/AttendanceEventCategoryDescriptor#T',
      schoolAttendanceDuration: 12,
    });
    expect(tardy).not.toHaveProperty('eventDuration');
  });

  it('waits on a student without a Unique ID and on a day no term covers', () => {
    expect(schoolAttendanceRecord({ ...event, uniqueId: null }, ctx()).dependency).toBe(UNIQUE_ID_MISSING);
    expect(schoolAttendanceRecord({ ...event, termState: null }, ctx()).dependency).toBe(NO_SESSION);
  });

  it("refers a period absence to the section of its day's term", () => {
    const r = sectionAttendanceRecord({ ...event, sectionId: 41, localCourseCode: 'MATH07' }, ctx());
    expect(r.doc.sectionReference).toEqual({
      localCourseCode: 'MATH07',
      schoolId: 149913001,
      schoolYear: 2025,
      sectionIdentifier: '41',
      sessionName: '2024-2025 Fall Semester',
    });
    expect(sectionAttendanceRecord({ ...event, sectionId: 41, localCourseCode: 'MATH07', termState: null }, ctx()).dependency).toBe(MISSING_SECTION_MEETING);
  });

  it('opens the Now – Last 14 Days window 13 days before the latest day the SIS has', () => {
    expect(RECENT_DAYS).toBe(14);
    expect(recentSince('2025-01-20')).toBe('2025-01-07');
    expect(recentSince('2025-03-05')).toBe('2025-02-20');
  });
});
