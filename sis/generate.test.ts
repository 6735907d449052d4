import { describe, expect, it } from 'vitest';
import { generateDistrict, tableRows, parseDirtyProfiles, SIZE_SHAPES, DIRTY_PROFILE_NAMES, yearPlan, type District } from './generate.js';
import { TABLES } from './model.js';

const tiny = generateDistrict({ size: 'tiny', seed: 1 });
const small = generateDistrict({ size: 'small', seed: 1 });
const dirtySmall = generateDistrict({ size: 'small', seed: 1, dirty: ['all'] });

function ids(d: District, table: string, column: string): Set<string> {
  return new Set(tableRows(d, table).map((r) => r[column]!));
}
function enrolledStudents(d: District): Set<string> {
  return ids(d, 'enrollment', 'personID');
}

describe('generateDistrict: determinism', () => {
  it('gives byte-identical data for the same size, seed and profiles', () => {
    expect(generateDistrict({ size: 'small', seed: 1 }).digest).toBe(small.digest);
    expect(generateDistrict({ size: 'small', seed: 1, dirty: ['all'] }).digest).toBe(dirtySmall.digest);
  });

  it('gives a different district for another seed', () => {
    expect(generateDistrict({ size: 'small', seed: 2 }).digest).not.toBe(small.digest);
  });

  it('fills every table of the replica even in the tiny district', () => {
    const empty = TABLES.map((t) => t.name).filter((name) => (tiny.counts[name] ?? 0) === 0);
    expect(empty).toEqual([]);
  });
});

describe('generateDistrict: sizes', () => {
  it('makes tiny one school with about 30 students', () => {
    expect(tiny.counts.school).toBe(1);
    expect(enrolledStudents(tiny).size).toBeGreaterThanOrEqual(25);
    expect(enrolledStudents(tiny).size).toBeLessThanOrEqual(35);
  });

  it('makes small one LEA with 3 schools (elementary, middle, high) and about 600 students', () => {
    expect(small.counts.district).toBe(1);
    expect(tableRows(small, 'school').map((s) => s.type)).toEqual(['E', 'M', 'H']);
    expect(enrolledStudents(small).size).toBeGreaterThanOrEqual(560);
    expect(enrolledStudents(small).size).toBeLessThanOrEqual(640);
  });

  it('plans large as 60 schools with 60,000 students and xl as about 200,000', () => {
    const total = (size: 'large' | 'xl'): number => SIZE_SHAPES[size].reduce((n, s) => n + s.students, 0);
    expect(SIZE_SHAPES.large).toHaveLength(60);
    expect(total('large')).toBe(60_000);
    expect(total('xl')).toBeGreaterThan(195_000);
  });

  it('generates xl: 198 campuses with names and numbers of their own, though it has more elementaries than the name list', () => {
    // Before, xl never finished: the 130th elementary looked for an unused name for ever.
    const xl = generateDistrict({ size: 'xl', seed: 1 });
    const schools = tableRows(xl, 'school');
    expect(schools).toHaveLength(198);
    expect(new Set(schools.map((s) => s.name)).size).toBe(198);
    expect(new Set(schools.map((s) => s.number)).size).toBe(198);
    expect(schools.map((s) => s.number)).not.toContain('999');
  }, 120_000);
});

describe('generateDistrict: realistic shapes', () => {
  it('serves grade bands by school type', () => {
    const byCalendar = new Map<string, string[]>();
    for (const g of tableRows(small, 'gradelevel')) byCalendar.set(g.calendarID!, [...(byCalendar.get(g.calendarID!) ?? []), g.name!]);
    expect([...byCalendar.values()]).toEqual([
      ['PK', 'KG', '01', '02', '03', '04', '05'],
      ['06', '07', '08'],
      ['09', '10', '11', '12'],
    ]);
  });

  it('fills sections with a median of 20 to 30 students and never more than 35', () => {
    const creditRecovery = new Set(
      tableRows(small, 'course')
        .filter((c) => c.number!.startsWith('CR'))
        .map((c) => c.courseID),
    );
    const mainSections = new Set(
      tableRows(small, 'section')
        .filter((s) => !creditRecovery.has(s.courseID))
        .map((s) => s.sectionID),
    );
    const perSection = new Map<string, number>();
    for (const r of tableRows(small, 'roster')) if (mainSections.has(r.sectionID)) perSection.set(r.sectionID!, (perSection.get(r.sectionID!) ?? 0) + 1);
    const sizes = [...perSection.values()].sort((a, b) => a - b);
    const median = sizes[Math.floor(sizes.length / 2)];
    expect(median).toBeGreaterThanOrEqual(20);
    expect(median).toBeLessThanOrEqual(30);
    // A grade cohort of 36 splits into two classes of 18: small cohorts make a few smaller classes.
    expect(sizes[Math.floor(sizes.length * 0.1)]).toBeGreaterThanOrEqual(15);
    expect(sizes.at(-1)!).toBeLessThanOrEqual(35);
  });

  it('gives every student 1 to 3 contacts', () => {
    const perStudent = new Map<string, number>();
    for (const r of tableRows(small, 'relatedpair')) perStudent.set(r.personID1!, (perStudent.get(r.personID1!) ?? 0) + 1);
    for (const id of enrolledStudents(small)) expect(perStudent.get(id) ?? 0).toBeGreaterThanOrEqual(1);
    expect(Math.max(...perStudent.values())).toBeLessThanOrEqual(3);
  });

  it('puts 10-15% of students in special education and in language programs', () => {
    const n = enrolledStudents(small).size;
    for (const table of ['specialed', 'languageprogram']) {
      const share = small.counts[table] / n;
      expect(share, table).toBeGreaterThan(0.08);
      expect(share, table).toBeLessThan(0.17);
    }
  });

  it('has a school year of weekdays with holidays and about 180 instructional days per structure', () => {
    const days = tableRows(small, 'day').filter((d) => d.structureID === '1');
    const instructional = days.filter((d) => d.instruction === 't');
    expect(instructional.length).toBeGreaterThan(170);
    expect(instructional.length).toBeLessThan(185);
    expect(days.filter((d) => d.eventCode === 'HO').map((d) => d.date)).toContain('2024-11-28');
    expect(days.every((d) => ![0, 6].includes(new Date(`${d.date!}T00:00:00Z`).getUTCDay()))).toBe(true);
  });

  it('stands one week into the spring term, with three grading periods graded', () => {
    const plan = yearPlan();
    expect(small.asOfDate > '2025-01-06').toBe(true);
    const graded = new Set(
      tableRows(small, 'gradingscore')
        .filter((g) => g.gradeType === 'GP')
        .map((g) => g.gradingPeriodID),
    );
    const periods = tableRows(small, 'gradingperiod')
      .filter((g) => graded.has(g.gradingPeriodID))
      .map((g) => g.seq);
    expect(new Set(periods)).toEqual(new Set(['1', '2', '3']));
    expect(plan.gradingPeriods).toHaveLength(6);
  });

  it('only references rows that exist', () => {
    const refs: [string, string, string, string][] = [
      ['roster', 'sectionID', 'section', 'sectionID'],
      ['roster', 'personID', 'student', 'personID'],
      ['enrollment', 'calendarID', 'calendar', 'calendarID'],
      ['enrollment', 'structureID', 'schedulestructure', 'structureID'],
      ['relatedpair', 'personID2', 'contact', 'personID'],
      ['section', 'courseID', 'course', 'courseID'],
      ['sectionplacement', 'periodID', 'period', 'periodID'],
      ['sectionstaff', 'personID', 'staff', 'personID'],
      ['gradingscore', 'gradingPeriodID', 'gradingperiod', 'gradingPeriodID'],
      ['behaviorrole', 'personID', 'student', 'personID'],
      ['employment', 'personID', 'staff', 'personID'],
      ['prioryearleaver', 'personID', 'student', 'personID'],
      ['cohortstudent', 'personID', 'student', 'personID'],
      ['day', 'structureID', 'schedulestructure', 'structureID'],
    ];
    for (const [table, column, target, key] of refs) {
      const targets = ids(dirtySmall, target, key);
      const missing = tableRows(dirtySmall, table).filter((r) => r[column] !== null && !targets.has(r[column]));
      expect(missing, `${table}.${column} → ${target}`).toEqual([]);
    }
  });

  it('keeps person ids unique across students, contacts and staff', () => {
    const all = [...ids(small, 'student', 'personID'), ...ids(small, 'contact', 'personID'), ...ids(small, 'staff', 'personID')];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('generateDistrict: dirty profiles', () => {
  it('expands "all" and refuses unknown profiles by naming the valid ones', () => {
    expect(parseDirtyProfiles(['all'])).toEqual(DIRTY_PROFILE_NAMES);
    expect(() => parseDirtyProfiles(['nope'])).toThrow(/unknown dirty profile "nope"; choose from: all, missing-student-unique-id/);
  });

  it('has none of the dirty situations in a clean district', () => {
    expect(small.dirtyCounts).toEqual({});
    expect(small.plannedChanges).toEqual([]);
    expect(tableRows(small, 'student').filter((s) => s.stateID === null)).toEqual([]);
    expect(tableRows(small, 'course').filter((c) => c.stateCode === null)).toEqual([]);
    expect(tableRows(small, 'localcode').filter((c) => c.stateCode === null)).toEqual([]);
    expect(tableRows(small, 'school').filter((s) => !/^\d+$/.test(s.stateSchoolNumber!) || s.exclude === 't')).toEqual([]);
    expect(tableRows(small, 'calendar').filter((c) => c.type === null || c.exclude === 't')).toEqual([]);
    expect(small.counts.sectionplacement).toBeGreaterThanOrEqual(small.counts.section);
    expect(small.counts.employment).toBe(small.counts.staff);
  });

  const d = dirtySmall;
  const count = (p: keyof typeof d.dirtyCounts, k: string): number => d.dirtyCounts[p]![k];

  it('missing-student-unique-id: the counted students have no state id', () => {
    const enrolled = enrolledStudents(d);
    const without = tableRows(d, 'student').filter((s) => s.stateID === null && enrolled.has(s.personID!));
    expect(without.length).toBe(count('missing-student-unique-id', 'students'));
    expect(without.length / enrolled.size).toBeGreaterThan(0.02);
  });

  it('unmapped-local-codes: three codes without a state code, used by the counted records', () => {
    const unmapped = tableRows(d, 'localcode').filter((c) => c.stateCode === null);
    expect(unmapped.map((c) => `${c.category}:${c.code}`)).toEqual(['entryType:LT', 'behavior:CELL', 'relationship:NEI']);
    const uses =
      tableRows(d, 'enrollment').filter((e) => e.startStatus === 'LT').length +
      tableRows(d, 'behaviorevent').filter((e) => e.code === 'CELL').length +
      tableRows(d, 'relatedpair').filter((r) => r.name === 'NEI').length;
    expect(uses).toBe(count('unmapped-local-codes', 'records'));
    expect(uses).toBeGreaterThan(0);
  });

  it('alpha-state-school-number: one school has letters in its state number and no Ed-Fi school number', () => {
    const alpha = tableRows(d, 'school').filter((s) => /[A-Z]/i.test(s.stateSchoolNumber!));
    expect(alpha.length).toBe(count('alpha-state-school-number', 'schools'));
    expect(alpha[0].edFiSchoolNumber).toBeNull();
  });

  it('calendar-without-type: the counted calendar has neither type nor program type', () => {
    expect(tableRows(d, 'calendar').filter((c) => c.type === null && c.programType === null).length).toBe(count('calendar-without-type', 'calendars'));
  });

  it('section-without-meeting-period: the counted sections have no placement', () => {
    const placed = ids(d, 'sectionplacement', 'sectionID');
    expect(tableRows(d, 'section').filter((s) => !placed.has(s.sectionID!)).length).toBe(count('section-without-meeting-period', 'sections'));
  });

  it('course-without-state-code: the counted courses have no alternate course number', () => {
    expect(tableRows(d, 'course').filter((c) => c.stateCode === null).length).toBe(count('course-without-state-code', 'courses'));
  });

  it('staff-without-employment: the counted staff have no employment record', () => {
    const employed = ids(d, 'employment', 'personID');
    expect(tableRows(d, 'staff').filter((s) => !employed.has(s.personID!)).length).toBe(count('staff-without-employment', 'staff'));
  });

  it('excluded-school-calendar: one school and one calendar of another school are excluded', () => {
    const schools = tableRows(d, 'school').filter((s) => s.exclude === 't');
    const calendars = tableRows(d, 'calendar').filter((c) => c.exclude === 't');
    expect(schools.length).toBe(count('excluded-school-calendar', 'schools'));
    expect(calendars.length).toBe(count('excluded-school-calendar', 'calendars'));
    expect(calendars[0].schoolID).not.toBe(schools[0].schoolID);
  });

  it('second-schedule-structure and school-number-change: planned for the first mutation day on real rows', () => {
    const [structure, renumber] = d.plannedChanges;
    expect(structure).toMatchObject({ kind: 'second-schedule-structure' });
    expect(renumber).toMatchObject({ kind: 'school-number-change' });
    if (structure?.kind !== 'second-schedule-structure' || renumber?.kind !== 'school-number-change') throw new Error('unexpected plan');
    const structures = tableRows(d, 'schedulestructure').filter((s) => s.calendarID === String(structure.calendarID));
    expect(structures).toHaveLength(1);
    const school = tableRows(d, 'school').find((s) => s.schoolID === String(renumber.schoolID))!;
    expect(school.number).toBe(renumber.fromNumber);
    expect(renumber.toNumber).not.toBe(renumber.fromNumber);
    expect(count('second-schedule-structure', 'calendars')).toBe(1);
    expect(count('school-number-change', 'schools')).toBe(1);
  });

  it('produces every situation even in the tiny district', () => {
    const t = generateDistrict({ size: 'tiny', seed: 3, dirty: ['all'] });
    for (const profile of DIRTY_PROFILE_NAMES) {
      const counts = t.dirtyCounts[profile];
      expect(counts, profile).toBeDefined();
      expect(
        Object.values(counts!).every((n) => n >= 1),
        profile,
      ).toBe(true);
    }
  });
});
