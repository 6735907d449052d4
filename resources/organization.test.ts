import { describe, expect, it } from 'vitest';
import { testContext } from './testing.js';
import { courseRecord } from './courses.js';
import { gradingPeriodRecord, reportingTermsNeeded, sessionName, sessionRecord } from './sessions.js';
import { ALTERNATE_COURSE_NUMBER_NOT_SET, courseOfferingRecord, courseOfferings, MISSING_SECTION_MEETING, sectionRecord, sections } from './schedules.js';
import { changeSetOf, type ChangeEvent, type ChangeSources } from '../publishing/changeSet.js';
import { tableDef } from '../sis/model.js';
import { programRecord } from './programs.js';
import { bellScheduleRecord, BELL_SCHEDULE_WITHOUT_PERIODS } from './bellSchedules.js';
import { classPeriodRecord } from './classPeriods.js';
import { localEducationAgencyRecord, NON_NUMERIC_LEA_ID } from './localEducationAgencies.js';
import { schoolRecord, SCHOOL_WITHOUT_GRADES } from './schools.js';

const ctx = testContext([
  {
    codeSet: 'reporting-terms',
    schoolId: 3,
    code: 'SW1',
    mapping: { namespace: 'uri://ed-fi.org/GradingPeriodDescriptor', codeValue: 'First Six Weeks', auto: false },
  },
]);
const numbers = { edFiSchoolNumber: null, stateSchoolNumber: '149913003' };

describe('the Organization Catalog', () => {
  it('sends the LEA by its number, and refuses a number with letters before sending', () => {
    expect(localEducationAgencyRecord({ districtId: 1, name: 'Prairie View ISD', number: '149913', category: 'Independent' }).doc).toMatchObject({
      localEducationAgencyId: 149913,
      localEducationAgencyCategoryDescriptor: 'uri://ed-fi.org/LocalEducationAgencyCategoryDescriptor#Independent',
    });
    expect(localEducationAgencyRecord({ districtId: 1, name: 'X', number: '14991A', category: null }).error).toBe(NON_NUMERIC_LEA_ID);
  });

  it('sends a school with its grade levels (unmapped ones as local descriptors), and waits when it offers none', () => {
    const row = { schoolId: 3, name: 'Lamar High', ...numbers, leaNumber: '149913', schoolCategory: 'High School', grades: ['09'] };
    expect(schoolRecord(row, ctx()).doc).toMatchObject({
      schoolId: 149913003,
      gradeLevels: [{ gradeLevelDescriptor: 'uri://local.texas.gov/GradeLevelDescriptor#09' }],
      localEducationAgencyReference: { localEducationAgencyId: 149913 },
    });
    expect(schoolRecord({ ...row, grades: [] }, ctx()).dependency).toBe(SCHOOL_WITHOUT_GRADES);
  });
});

describe('the Course and Program catalogs', () => {
  it('keys a course by its state course number under the LEA', () => {
    expect(courseRecord({ stateCode: '03220100', title: 'English I', leaNumber: '149913', credits: '1.0' })).toEqual({
      sourceKey: '03220100',
      schoolId: null,
      doc: {
        courseCode: '03220100',
        educationOrganizationReference: { educationOrganizationId: 149913 },
        courseTitle: 'English I',
        numberOfParts: 1,
        identificationCodes: [
          { courseIdentificationSystemDescriptor: 'uri://ed-fi.org/CourseIdentificationSystemDescriptor#State course code', identificationCode: '03220100' },
        ],
        maximumAvailableCredits: 1,
      },
    });
  });

  it('types a program by its state value', () => {
    expect(
      programRecord({ code: 'CTE', name: 'Career and technical education', stateCode: 'Career and Technical Education', leaNumber: '149913' }).doc
        .programTypeDescriptor,
    ).toBe('uri://ed-fi.org/ProgramTypeDescriptor#Career and Technical Education');
  });
});

describe('calendars: sessions and grading periods', () => {
  const gp = {
    gradingPeriodId: 5,
    schoolId: 3,
    endYear: 2025,
    code: 'SW1',
    name: '1st Six Weeks',
    seq: 1,
    beginDate: '2024-08-14',
    endDate: '2024-09-20',
    days: 28,
    ...numbers,
  };

  it('names a session by school year and term', () => {
    expect(sessionName(2025, 'Fall Semester')).toBe('2024-2025 Fall Semester');
  });

  it('sends a grading period through the Reporting Terms mapping, keyed by sequence (DS 4.0) or name (DS 5.x)', () => {
    expect(gradingPeriodRecord(gp, ctx()).doc).toMatchObject({
      gradingPeriodDescriptor: 'uri://ed-fi.org/GradingPeriodDescriptor#First Six Weeks',
      periodSequence: 1,
      totalInstructionalDays: 28,
    });
    expect(gradingPeriodRecord(gp, ctx()).doc.gradingPeriodName).toBeUndefined();
    expect(gradingPeriodRecord(gp, ctx({ dataStandard: '5.x' })).doc.gradingPeriodName).toBe('1st Six Weeks');
  });

  it('waits for the mapping when the reporting term is unmapped (per school)', () => {
    expect(gradingPeriodRecord({ ...gp, schoolId: 4 }, ctx()).dependency).toBe(reportingTermsNeeded('SW1'));
  });

  it("lists a session's mapped grading periods", () => {
    const row = {
      termId: 1,
      schoolId: 3,
      endYear: 2025,
      termState: 'Fall Semester',
      beginDate: '2024-08-14',
      endDate: '2024-12-20',
      days: 80,
      periods: [
        { code: 'SW1', name: '1st Six Weeks', seq: 1 },
        { code: 'SW2', name: '2nd Six Weeks', seq: 2 },
      ],
      ...numbers,
    };
    expect(sessionRecord(row, ctx()).doc.gradingPeriods).toEqual([
      {
        gradingPeriodReference: {
          gradingPeriodDescriptor: 'uri://ed-fi.org/GradingPeriodDescriptor#First Six Weeks',
          periodSequence: 1,
          schoolId: 149913003,
          schoolYear: 2025,
        },
      },
    ]);
  });
});

describe('schedules', () => {
  it("waits with the guide's words when the course has no state course number", () => {
    const row = {
      offeringId: 1,
      schoolId: 3,
      endYear: 2025,
      localCourseCode: 'ENG1',
      title: 'English I',
      stateCode: null,
      leaNumber: '149913',
      termState: 'Fall Semester',
      minutes: null,
      ...numbers,
    };
    expect(courseOfferingRecord(row).dependency).toBe(ALTERNATE_COURSE_NUMBER_NOT_SET);
    expect(courseOfferingRecord({ ...row, stateCode: '03220100' }).doc).toMatchObject({
      sessionReference: { schoolId: 149913003, schoolYear: 2025, sessionName: '2024-2025 Fall Semester' },
      courseReference: { courseCode: '03220100', educationOrganizationId: 149913 },
    });
  });

  it('sends a section once per term it meets in, with its periods and room, and waits when it meets nowhere', () => {
    const row = {
      sourceKey: '7-1',
      sectionId: 7,
      schoolId: 3,
      endYear: 2025,
      localCourseCode: 'ENG1',
      stateCode: '03220100',
      termState: 'Fall Semester',
      room: '101',
      maxStudents: 30,
      periods: ['1'],
      ...numbers,
    };
    expect(sectionRecord(row).doc).toEqual({
      sectionIdentifier: '7',
      courseOfferingReference: { localCourseCode: 'ENG1', schoolId: 149913003, schoolYear: 2025, sessionName: '2024-2025 Fall Semester' },
      locationReference: { classroomIdentificationCode: '101', schoolId: 149913003 },
      locationSchoolReference: { schoolId: 149913003 },
      classPeriods: [{ classPeriodReference: { classPeriodName: '1', schoolId: 149913003 } }],
    });
    expect(sectionRecord({ ...row, sourceKey: '7-', termState: null, periods: [] }).dependency).toBe(MISSING_SECTION_MEETING);
  });

  it('gives class periods every meeting time they have, and bell schedules their periods', () => {
    expect(classPeriodRecord({ schoolId: 3, name: '1', times: ['08:00:00-08:50:00', '08:00:00-08:35:00'], ...numbers }).doc.meetingTimes).toEqual([
      { startTime: '08:00:00', endTime: '08:50:00' },
      { startTime: '08:00:00', endTime: '08:35:00' },
    ]);
    expect(
      bellScheduleRecord({ periodScheduleId: 1, schoolId: 3, name: 'Regular', periods: [], startTime: null, endTime: null, minutes: null, ...numbers })
        .dependency,
    ).toBe(BELL_SCHEDULE_WITHOUT_PERIODS);
  });
});

describe('schedules follow only the SIS changes their records read', () => {
  const keyOf = (table: string): string | undefined => tableDef(table).key;
  const update = (table: string, objectKey: string, changedColumns: string[]): ChangeEvent => ({ table, objectKey, action: 'update', changedColumns });
  const traced = (sources: ChangeSources, e: ChangeEvent): string[] => {
    const set = changeSetOf(sources, [e], keyOf);
    return set.kind === 'objects' ? [...set.traced.keys()] : [set.kind];
  };

  it('a room’s seats or a course’s name are no change to a section; its room number and the course’s number are', () => {
    expect(traced(sections.changes, update('room', '7', ['maxstudents']))).toEqual([]);
    expect(traced(sections.changes, update('room', '7', ['name']))).toEqual(['room']);
    expect(traced(sections.changes, update('course', '3', ['name']))).toEqual([]);
    expect(traced(sections.changes, update('course', '3', ['number']))).toEqual(['course']);
  });

  it('a course’s name is a change to its offerings (their title), its credits are not', () => {
    expect(traced(courseOfferings.changes, update('course', '3', ['name']))).toEqual(['course']);
    expect(traced(courseOfferings.changes, update('course', '3', ['credits']))).toEqual([]);
  });
});
