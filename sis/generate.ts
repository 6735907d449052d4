/**
 * Deterministic district generator. `generateDistrict` builds every table of the replica as COPY
 * text in memory (no database), so the same size + seed + dirty profiles give the same bytes, and
 * `loadDistrict` only has to stream them.
 */
import { createHash } from 'node:crypto';
import { Random } from './random.js';
import { TABLES, tableDef } from './model.js';
import { encodeRow, type Row } from './copyText.js';
import { day, isWeekend, onOrAfter, isoDate, type Day } from './dates.js';
import {
  DISTRICT_CODES,
  SCHOOL_CODES,
  UNMAPPED_CODES,
  FEMALE_NAMES,
  MALE_NAMES,
  LAST_NAMES,
  STREETS,
  STREET_KINDS,
  TOWNS,
  SCHOOL_NAMES,
  codesOf,
} from './codes.js';

export const DISTRICT_SIZES = ['tiny', 'small', 'large', 'xl'] as const;
export type DistrictSize = (typeof DISTRICT_SIZES)[number];

/** Each dirty profile produces one situation of the vendor guide's troubleshooting tables. */
export const DIRTY_PROFILES = {
  'missing-student-unique-id': 'About 3% of students have no state unique id (Student/Staff Unique ID dependency).',
  'unmapped-local-codes': 'Local codes with no state code to map to (entry type, behavior, relationship), used by records.',
  'alpha-state-school-number': 'A school whose state school number has letters and no numeric Ed-Fi school number ("The School ID being sent is non-numeric").',
  'calendar-without-type': 'A calendar with neither type nor instructional program type ("CalendarTypeDescriptorId is required").',
  'section-without-meeting-period': 'About 2% of sections have no period ("Missing Section Meeting Record").',
  'course-without-state-code': 'About 3% of courses have no alternate course number ("Alternate Course Number not set").',
  'second-schedule-structure': 'A one-structure calendar gets a second schedule structure on the first mutation day (calendar code changes: delete/post).',
  'staff-without-employment': 'About 3% of staff have no employment record (Staff Sections dependency / default employment).',
  'excluded-school-calendar': 'One school and one calendar are marked exclude.',
  'school-number-change': "A school's number and state school number change on the first mutation day (delete/post with cascades).",
} as const;
export type DirtyProfile = keyof typeof DIRTY_PROFILES;
export const DIRTY_PROFILE_NAMES = Object.keys(DIRTY_PROFILES) as DirtyProfile[];

export interface GenerateOptions {
  readonly size: DistrictSize;
  readonly seed: number;
  /** Dirty profile names; `all` means every profile. */
  readonly dirty?: readonly string[];
}

/** A change the generator plans for the first mutation day (situations that happen after a first publish). */
export type PlannedChange =
  | { readonly kind: 'second-schedule-structure'; readonly calendarID: number; readonly structureName: string }
  | {
      readonly kind: 'school-number-change';
      readonly schoolID: number;
      readonly fromNumber: string;
      readonly toNumber: string;
      readonly fromStateSchoolNumber: string;
      readonly toStateSchoolNumber: string;
    };

export interface TableData {
  readonly name: string;
  readonly rowCount: number;
  /** COPY text, in chunks of about 64 KiB. */
  readonly chunks: readonly string[];
}

export interface District {
  readonly size: DistrictSize;
  readonly seed: number;
  readonly dirty: readonly DirtyProfile[];
  /** School year (end year) the district is generated for. */
  readonly schoolYear: number;
  /** The district is as it stands at the end of this day; mutation day N follows it. */
  readonly asOfDate: string;
  /** Every table of the replica, in model order (empty tables included). */
  readonly tables: readonly TableData[];
  /** Rows per table. */
  readonly counts: Readonly<Record<string, number>>;
  /** Per dirty profile, what it produced (e.g. `{ students: 18 }`). */
  readonly dirtyCounts: Readonly<Partial<Record<DirtyProfile, Readonly<Record<string, number>>>>>;
  readonly plannedChanges: readonly PlannedChange[];
  /** sha256 over every table's bytes: equal digests mean byte-identical districts. */
  readonly digest: string;
}

/** Checks dirty profile names; returns them expanded and ordered, or throws saying what is valid. */
export function parseDirtyProfiles(names: readonly string[]): DirtyProfile[] {
  const wanted = new Set<DirtyProfile>();
  for (const raw of names) {
    for (const name of raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')) {
      if (name === 'all') DIRTY_PROFILE_NAMES.forEach((p) => wanted.add(p));
      else if (name in DIRTY_PROFILES) wanted.add(name as DirtyProfile);
      else throw new Error(`unknown dirty profile "${name}"; choose from: all, ${DIRTY_PROFILE_NAMES.join(', ')}`);
    }
  }
  return DIRTY_PROFILE_NAMES.filter((p) => wanted.has(p));
}

type SchoolType = 'E' | 'M' | 'H' | 'S';
interface SchoolSpec {
  readonly type: SchoolType;
  readonly students: number;
}

function repeat(n: number, spec: SchoolSpec): SchoolSpec[] {
  return Array.from({ length: n }, () => spec);
}

/** Campus mix per size: elementary 600, middle 1,200, high 2,700 students in the big districts. */
export const SIZE_SHAPES: Readonly<Record<DistrictSize, readonly SchoolSpec[]>> = {
  tiny: [{ type: 'S', students: 30 }],
  small: [
    { type: 'E', students: 250 },
    { type: 'M', students: 150 },
    { type: 'H', students: 200 },
  ],
  large: [...repeat(40, { type: 'E', students: 600 }), ...repeat(12, { type: 'M', students: 1200 }), ...repeat(8, { type: 'H', students: 2700 })],
  xl: [...repeat(130, { type: 'E', students: 600 }), ...repeat(40, { type: 'M', students: 1200 }), ...repeat(28, { type: 'H', students: 2700 })],
};

const GRADES: readonly string[] = ['PK', 'KG', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];
const GRADE_BANDS: Record<SchoolType, readonly string[]> = {
  E: ['PK', 'KG', '01', '02', '03', '04', '05'],
  M: ['06', '07', '08'],
  H: ['09', '10', '11', '12'],
  S: ['06', '07', '08', '09', '10', '11', '12'],
};
const SCHOOL_KIND_NAME: Record<SchoolType, string> = { E: 'Elementary', M: 'Middle School', H: 'High School', S: 'Secondary Academy' };

/** Age on September 1 of the school year's start, by grade. */
function ageOf(grade: string): number {
  return grade === 'PK' ? 4 : grade === 'KG' ? 5 : 5 + Number(grade);
}

/** The school year (end year) every generated district holds as current: 2024-25. */
export const SCHOOL_YEAR = 2025;
const YEAR_START = day('2024-08-14');
const YEAR_END = day('2025-05-29');

/** Non-instructional weekdays of the 2024-25 year, with why. */
function holidays(): Map<Day, string> {
  const h = new Map<Day, string>();
  const range = (from: string, to: string, why: string): void => {
    for (let d = day(from); d <= day(to); d++) if (!isWeekend(d)) h.set(d, why);
  };
  range('2024-09-02', '2024-09-02', 'Labor Day');
  range('2024-10-14', '2024-10-14', 'Fall holiday');
  range('2024-11-25', '2024-11-29', 'Thanksgiving break');
  range('2024-12-23', '2025-01-03', 'Winter break');
  range('2025-01-20', '2025-01-20', 'Martin Luther King Jr. Day');
  range('2025-02-17', '2025-02-17', 'Presidents Day');
  range('2025-03-10', '2025-03-14', 'Spring break');
  range('2025-04-18', '2025-04-18', 'Good Friday');
  range('2025-05-26', '2025-05-26', 'Memorial Day');
  return h;
}

/** The shared shape of the year: instructional days, grading periods, terms. */
export interface YearPlan {
  readonly instructionalDays: readonly Day[];
  readonly holidays: ReadonlyMap<Day, string>;
  readonly staffDays: readonly Day[];
  readonly earlyRelease: ReadonlySet<Day>;
  /** Six grading periods: [start, end] instructional days. */
  readonly gradingPeriods: readonly (readonly [Day, Day])[];
  readonly terms: readonly (readonly [Day, Day])[];
  readonly asOf: Day;
}

export function yearPlan(): YearPlan {
  const hol = holidays();
  const days: Day[] = [];
  for (let d = YEAR_START; d <= YEAR_END; d++) if (!isWeekend(d) && !hol.has(d)) days.push(d);
  const per = Math.floor(days.length / 6);
  const gradingPeriods = Array.from({ length: 6 }, (_, i): [Day, Day] => [days[i * per], i === 5 ? days[days.length - 1] : days[(i + 1) * per - 1]]);
  const terms: [Day, Day][] = [
    [gradingPeriods[0][0], gradingPeriods[2][1]],
    [gradingPeriods[3][0], gradingPeriods[5][1]],
  ];
  const staffDays = [YEAR_START - 5, YEAR_START - 4, YEAR_START - 1].filter((d) => !isWeekend(d));
  // First Wednesday of each month from October is an early-release (still instructional) day.
  const earlyRelease = new Set<Day>();
  for (const m of ['2024-10-01', '2024-11-01', '2025-02-01', '2025-04-01']) {
    const d = onOrAfter(day(m), 3);
    if (!hol.has(d)) earlyRelease.add(d);
  }
  // The district stands a week into the spring term: first semester graded, second begun.
  const asOf = days[days.indexOf(terms[1][0]) + 4];
  return { instructionalDays: days, holidays: hol, staffDays, earlyRelease, gradingPeriods, terms, asOf };
}

class TableWriter {
  private readonly columns;
  private readonly chunks: string[] = [];
  private current = '';
  rowCount = 0;

  constructor(readonly name: string) {
    this.columns = tableDef(name).columns;
  }

  add(row: Row): void {
    this.current += encodeRow(this.name, this.columns, row);
    this.rowCount++;
    if (this.current.length > 65_536) {
      this.chunks.push(this.current);
      this.current = '';
    }
  }

  finish(): TableData {
    if (this.current !== '') this.chunks.push(this.current);
    this.current = '';
    return { name: this.name, rowCount: this.rowCount, chunks: this.chunks };
  }
}

interface SchoolGen {
  readonly schoolID: number;
  readonly name: string;
  readonly spec: SchoolSpec;
  readonly number: string;
  stateSchoolNumber: string;
  readonly calendarID: number;
  readonly structures: StructureGen[];
  readonly staffIDs: number[];
  readonly teacherIDs: number[];
  readonly adminIDs: number[];
  readonly studentIDs: number[];
  readonly roomIDs: number[];
  titleI: boolean;
  exclude: boolean;
}

interface StructureGen {
  readonly structureID: number;
  readonly termIDs: readonly number[];
  readonly gradingPeriodIDs: readonly number[];
  /** Instructional period ids of the regular bell schedule, in order. */
  readonly periodIDs: readonly number[];
}

interface CourseGen {
  readonly courseID: number;
  readonly number: string;
  readonly name: string;
  readonly stateCode: string | null;
  readonly subject: string;
  /** Term index (0/1) for a semester course, undefined for a full-year course. */
  readonly term: number | undefined;
  readonly credits: number;
}

interface StudentGen {
  readonly personID: number;
  readonly grade: string;
  readonly school: SchoolGen;
  readonly entry: Day;
  readonly exit: Day | undefined;
}

interface Household {
  readonly lastName: string;
  readonly contacts: readonly { personID: number; relation: string; guardian: boolean }[];
  readonly addr: Row;
  readonly phone: string;
}

class Ids {
  private readonly next = new Map<string, number>();
  take(table: string): number {
    const n = (this.next.get(table) ?? 0) + 1;
    this.next.set(table, n);
    return n;
  }
  /** Person ids are shared by students, contacts and staff, like the SIS's person table. */
  person(): number {
    return this.take('person');
  }
}

function letterGrade(percent: number): string {
  return percent >= 90 ? 'A' : percent >= 80 ? 'B' : percent >= 70 ? 'C' : 'F';
}

function phone(rng: Random): string {
  return `${rng.pick(['214', '469', '512', '713', '817', '972'])}-555-${String(rng.int(0, 9999)).padStart(4, '0')}`;
}

/** Which courses a block of students takes in a grade: [name, subject, stateCode stem] × 7 (or 3 in elementary). */
function courseList(type: SchoolType, grade: string): readonly (readonly [string, string])[] {
  if (type === 'E')
    return [
      [`Grade ${grade} Self-Contained`, 'SC'],
      [`Physical Education ${grade}`, 'PE'],
      [`Fine Arts ${grade}`, 'FA'],
    ];
  const g = Number(grade);
  if (g <= 8) {
    return [
      [`English ${g}`, 'ELA'],
      [`Math ${g}`, 'MATH'],
      [`Science ${g}`, 'SCI'],
      [`Social Studies ${g}`, 'SS'],
      [`PE ${g}`, 'PE'],
      [`Band ${g}`, 'FA'],
      [`Spanish ${g}`, 'LOTE'],
    ];
  }
  const roman = ['I', 'II', 'III', 'IV'][g - 9];
  const math = ['Algebra I', 'Geometry', 'Algebra II', 'Precalculus'][g - 9];
  const sci = ['Biology', 'Chemistry', 'Physics', 'Environmental Systems'][g - 9];
  const ss = ['World Geography', 'World History', 'US History', 'Government'][g - 9];
  return [
    [`English ${roman}`, 'ELA'],
    [math, 'MATH'],
    [sci, 'SCI'],
    [ss, 'SS'],
    [`Spanish ${roman}`, 'LOTE'],
    [`Principles of ${['Agriculture', 'Health Science', 'IT', 'Manufacturing'][g - 9]}`, 'CTE'],
    [g === 9 ? 'Health' : `Art ${roman}`, g === 9 ? 'PE' : 'FA'],
  ];
}

/** Builds a whole district. Pure and deterministic: same options, same bytes. */
export function generateDistrict(options: GenerateOptions): District {
  const { size, seed } = options;
  if (!(DISTRICT_SIZES as readonly string[]).includes(size)) throw new Error(`unknown size "${String(size)}"; choose from ${DISTRICT_SIZES.join(', ')}`);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`seed must be a non-negative integer, got ${seed}`);
  const dirty = parseDirtyProfiles(options.dirty ?? []);
  const isDirty = (p: DirtyProfile): boolean => dirty.includes(p);

  const root = new Random(seed);
  const rng = root.fork('people');
  const dirtyRng = root.fork('dirty');
  const plan = yearPlan();
  const ids = new Ids();
  const writers = new Map(TABLES.map((t) => [t.name, new TableWriter(t.name)]));
  const w = (name: string): TableWriter => writers.get(name)!;
  const dirtyCounts: Partial<Record<DirtyProfile, Record<string, number>>> = {};
  const plannedChanges: PlannedChange[] = [];
  const gpEnded = plan.gradingPeriods.map(([, end]) => end < plan.asOf);
  // Attendance on a stream of its own, forked from a fresh root: adding it changed no other table.
  const attendanceRng = new Random(seed).fork('attendance');

  const address = (): Row => ({
    address: `${rng.int(100, 9999)} ${rng.pick(STREETS)} ${rng.pick(STREET_KINDS)}`,
    city: town,
    state: 'TX',
    zip: `7${rng.int(5000, 9999)}`,
  });

  // District and years.
  const town = rng.pick(TOWNS);
  const leaNumber = `${String(rng.int(10, 250)).padStart(3, '0')}${rng.int(901, 999)}`;
  const districtID = ids.take('district');
  w('district').add({ districtID, name: `${town} ISD`, number: leaNumber, category: 'IND', ...address(), phone: phone(rng) });
  w('schoolyear').add({ endYear: SCHOOL_YEAR - 1, label: '23-24', startDate: '2023-08-16', endDate: '2024-05-30', active: false });
  w('schoolyear').add({ endYear: SCHOOL_YEAR, label: '24-25', startDate: YEAR_START, endDate: YEAR_END, active: true });

  // District-wide local codes, then the unmapped ones when asked.
  const unmappedUses: Record<string, number> = {};
  for (const c of DISTRICT_CODES)
    w('localcode').add({
      localCodeID: ids.take('localcode'),
      category: c.category,
      schoolID: null,
      code: c.code,
      name: c.name,
      stateCode: c.stateCode,
      active: true,
    });
  if (isDirty('unmapped-local-codes')) {
    for (const c of UNMAPPED_CODES) {
      w('localcode').add({
        localCodeID: ids.take('localcode'),
        category: c.category,
        schoolID: null,
        code: c.code,
        name: c.name,
        stateCode: null,
        active: true,
      });
      unmappedUses[c.category] = 0;
    }
  }
  const useUnmapped = (category: string, normal: string, p: number): string => {
    if (unmappedUses[category] === undefined || !(unmappedUses[category] === 0 || dirtyRng.chance(p))) return normal;
    unmappedUses[category]++;
    return UNMAPPED_CODES.find((c) => c.category === category)!.code;
  };

  const programs = new Map<string, number>();
  for (const [type, name] of [
    ['CTE', 'Career and Technical Education'],
    ['BIL', 'Bilingual Education'],
    ['ESL', 'English as a Second Language'],
    ['SPED', 'Special Education'],
    ['T1A', 'Title I Part A'],
    ['GT', 'Gifted and Talented'],
  ] as const) {
    const programID = ids.take('program');
    programs.set(type, programID);
    w('program').add({ programID, districtID, name, programType: type });
  }

  // Schools and their calendars.
  const shape = SIZE_SHAPES[size];
  const usedNames = new Set<string>();
  // The name list repeats a few names: a round holds as many campuses as it has different names.
  const DISTINCT_SCHOOL_NAMES = new Set(SCHOOL_NAMES).size;
  const usedNumbers = new Set<string>();
  const ofType = new Map<string, number>();
  const schools: SchoolGen[] = shape.map((spec, i) => {
    // More campuses of one kind than names (xl's 130 elementaries): later rounds are numbered ("Lamar 2").
    const nth = ofType.get(spec.type) ?? 0;
    ofType.set(spec.type, nth + 1);
    const round = Math.floor(nth / DISTINCT_SCHOOL_NAMES) + 1;
    const named = (name: string): string => (round > 1 ? `${name} ${round}` : name);
    let base = named(SCHOOL_NAMES[(i * 7 + rng.int(0, SCHOOL_NAMES.length - 1)) % SCHOOL_NAMES.length]);
    while (usedNames.has(`${base}|${spec.type}`)) base = named(rng.pick(SCHOOL_NAMES));
    usedNames.add(`${base}|${spec.type}`);
    const schoolID = ids.take('school');
    // Elementaries from 100, middle schools from 40, high schools from 001; where those ranges meet
    // (xl), the next free number. 999 is the district office's (finance organization).
    let n = (spec.type === 'E' ? 100 : spec.type === 'M' ? 40 : 1) + i;
    while (usedNumbers.has(String(n).padStart(3, '0')) || n === 999) n = (n % 998) + 1;
    const number = String(n).padStart(3, '0');
    usedNumbers.add(number);
    const school: SchoolGen = {
      schoolID,
      name: `${base} ${SCHOOL_KIND_NAME[spec.type]}`,
      spec,
      number,
      stateSchoolNumber: `${leaNumber}${number}`,
      calendarID: ids.take('calendar'),
      structures: [],
      staffIDs: [],
      teacherIDs: [],
      adminIDs: [],
      studentIDs: [],
      roomIDs: [],
      titleI: spec.type === 'E' ? i % 2 === 0 : i === 0,
      exclude: false,
    };
    return school;
  });

  // Dirty: school-level situations, each on its own school where the district has enough.
  const pickSchool = (offset: number): SchoolGen => schools[(schools.length - 1 - offset + schools.length * 4) % schools.length];
  if (isDirty('alpha-state-school-number')) {
    const s = pickSchool(0);
    s.stateSchoolNumber = `${leaNumber}A${s.number.slice(1)}`;
    dirtyCounts['alpha-state-school-number'] = { schools: 1 };
  }
  let excludedCalendarSchool: SchoolGen | undefined;
  if (isDirty('excluded-school-calendar')) {
    pickSchool(1).exclude = true;
    excludedCalendarSchool = pickSchool(2);
    dirtyCounts['excluded-school-calendar'] = { schools: 1, calendars: 1 };
  }
  const untypedCalendarSchool = isDirty('calendar-without-type') ? pickSchool(3) : undefined;
  if (untypedCalendarSchool) dirtyCounts['calendar-without-type'] = { calendars: 1 };

  const yp = plan;
  /** Every n-th item (the first included) of a counted kind: proportional, deterministic, never zero. */
  const every = new Map<string, number>();
  const nth = (kind: string, n: number): boolean => {
    const i = every.get(kind) ?? 0;
    every.set(kind, i + 1);
    return i % n === 0;
  };
  const rosterQueue = new Map<number, { sectionID: number; course: CourseGen; structureIndex: number }[]>();
  const sectionNumbers = new Map<number, number>();
  const staffEmployment: { personID: number; hire: Day }[] = [];
  const semesterOneCredits: { personID: number; course: CourseGen; percent: number }[] = [];
  const households: Household[] = [];
  let studentsWithoutStateId = 0;
  const courseCounters = { courses: 0, coursesWithoutStateCode: 0, sections: 0, sectionsWithoutMeeting: 0 };

  for (const school of schools) {
    const { spec, schoolID, calendarID } = school;
    w('school').add({
      schoolID,
      districtID,
      name: school.name,
      number: school.number,
      stateSchoolNumber: school.stateSchoolNumber,
      edFiSchoolNumber: null,
      type: spec.type,
      titleI: school.titleI,
      exclude: school.exclude,
      ...address(),
      phone: phone(rng),
    });
    for (const c of SCHOOL_CODES)
      w('localcode').add({
        localCodeID: ids.take('localcode'),
        category: c.category,
        schoolID,
        code: c.code,
        name: c.name,
        stateCode: c.stateCode,
        active: true,
      });
    const untyped = untypedCalendarSchool === school;
    w('calendar').add({
      calendarID,
      schoolID,
      endYear: SCHOOL_YEAR,
      name: `${SCHOOL_YEAR - 1}-${SCHOOL_YEAR} ${school.name}`,
      type: untyped ? null : 'REG',
      programType: untyped ? null : '01',
      startDate: yp.staffDays[0] ?? YEAR_START,
      endDate: YEAR_END,
      summerSchool: false,
      exclude: excludedCalendarSchool === school,
    });
    const band = GRADE_BANDS[spec.type];
    band.forEach((g, i) => w('gradelevel').add({ gradeLevelID: ids.take('gradelevel'), calendarID, name: g, seq: i + 1 }));

    // High schools run a small credit-recovery structure next to the main one.
    const structureNames = spec.type === 'H' ? ['Main', 'Credit Recovery'] : ['Main'];
    for (const [si, sname] of structureNames.entries()) {
      const structureID = ids.take('schedulestructure');
      w('schedulestructure').add({ structureID, calendarID, name: sname, label: si === 0 ? 'M' : 'CR', isPrimary: si === 0 });
      const termIDs = yp.terms.map(([start, end], ti) => {
        const termID = ids.take('term');
        w('term').add({ termID, structureID, name: `S${ti + 1}`, seq: ti + 1, termType: `S${ti + 1}`, startDate: start, endDate: end });
        return termID;
      });
      const gradingPeriodIDs = yp.gradingPeriods.map(([start, end], gi) => {
        const gradingPeriodID = ids.take('gradingperiod');
        w('gradingperiod').add({
          gradingPeriodID,
          structureID,
          termID: termIDs[gi < 3 ? 0 : 1],
          name: `${['1st', '2nd', '3rd', '4th', '5th', '6th'][gi]} Six Weeks`,
          seq: gi + 1,
          code: `SW${gi + 1}`,
          startDate: start,
          endDate: end,
        });
        return gradingPeriodID;
      });
      const periodIDs: number[] = [];
      for (const [bi, bname] of ['Regular', 'Early Release'].entries()) {
        const periodScheduleID = ids.take('periodschedule');
        w('periodschedule').add({ periodScheduleID, structureID, name: bname });
        const minutes = bi === 0 ? 50 : 35;
        let t = 8 * 60;
        for (let p = 1; p <= 7; p++) {
          const periodID = ids.take('period');
          const hm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
          w('period').add({ periodID, periodScheduleID, name: String(p), seq: p, startTime: hm(t), endTime: hm(t + minutes), nonInstructional: false });
          if (bi === 0) periodIDs.push(periodID);
          t += minutes + 5;
          if (p === 4) t += 30; // lunch
        }
      }
      // Calendar days: staff days, instructional days (early release marked), holidays.
      const addDay = (d: Day, instruction: boolean, eventCode: string, comments: string | null): void =>
        w('day').add({ dayID: ids.take('day'), calendarID, structureID, date: d, instruction, attendance: instruction, eventCode, comments });
      for (const d of yp.staffDays) addDay(d, false, 'SD', 'Staff development');
      for (let d = YEAR_START; d <= YEAR_END; d++) {
        if (isWeekend(d)) continue;
        const why = yp.holidays.get(d);
        if (why !== undefined) addDay(d, false, 'HO', why);
        else if (yp.earlyRelease.has(d)) addDay(d, true, 'ER', 'Early release');
        else addDay(d, true, 'ID', null);
      }
      school.structures.push({ structureID, termIDs, gradingPeriodIDs, periodIDs });
    }

    // Rooms.
    const roomCount = Math.max(4, Math.ceil(spec.students / 22) + 4);
    for (let r = 0; r < roomCount; r++) {
      const roomID = ids.take('room');
      school.roomIDs.push(roomID);
      w('room').add({
        roomID,
        schoolID,
        name: `${Math.floor(r / 20) + 1}${String((r % 20) + 1).padStart(2, '0')}`,
        description: r < roomCount - 4 ? 'Classroom' : rng.pick(['Gym', 'Library', 'Lab', 'Portable']),
        maxStudents: rng.int(24, 36),
      });
    }

    // Campus staff: principal, assistant principals, counselors, nurse; teachers come with sections.
    const addStaff = (serviceID: string, title: string, teacher: boolean): number => {
      const personID = ids.person();
      const female = rng.chance(0.7);
      const first = rng.pick(female ? FEMALE_NAMES : MALE_NAMES);
      const last = rng.pick(LAST_NAMES);
      w('staff').add({
        personID,
        staffNumber: `E${String(personID).padStart(6, '0')}`,
        stateID: `${rng.int(1, 9)}${String(personID).padStart(9, '0')}`,
        // Derived, not drawn: adding the column left the rest of the district as it was.
        ssn: String(600_000_000 + personID),
        lastName: last,
        firstName: first,
        middleName: rng.chance(0.5) ? rng.pick(female ? FEMALE_NAMES : MALE_NAMES) : null,
        birthDate: day('1960-01-01') + rng.int(0, 365 * 38),
        gender: female ? 'F' : 'M',
        hispanicEthnicity: rng.chance(0.35),
        raceCodes: [
          rng.weighted([
            ['W', 70],
            ['B', 15],
            ['A', 8],
            ['I', 4],
            ['P', 3],
          ]),
        ],
        email: `${first}.${last}${personID}@${town.replace(/ /g, '').toLowerCase()}isd.example.org`.toLowerCase(),
        highestEducation: rng.weighted([
          ['BA', 60],
          ['MA', 35],
          ['DR', 5],
        ]),
        yearsExperience: rng.int(0, 30),
      });
      const hire = YEAR_START - rng.int(20, 365 * 15);
      staffEmployment.push({ personID, hire });
      w('employmentassignment').add({
        assignmentID: ids.take('employmentassignment'),
        personID,
        schoolID,
        startDate: Math.max(hire, YEAR_START - 10),
        endDate: null,
        title,
        serviceID,
        teacher,
        fte: 1,
      });
      w('staffschool').add({
        staffSchoolID: ids.take('staffschool'),
        personID,
        schoolID,
        calendarID,
        programAssignment: 'REG',
        startDate: YEAR_START - 10,
        endDate: null,
      });
      school.staffIDs.push(personID);
      if (teacher) school.teacherIDs.push(personID);
      else school.adminIDs.push(personID);
      return personID;
    };
    addStaff('003', 'Principal', false);
    for (let i = 0; i < Math.max(1, Math.floor(spec.students / 600)); i++) addStaff('004', 'Assistant Principal', false);
    for (let i = 0; i < Math.max(1, Math.floor(spec.students / 400)); i++) addStaff('008', 'Counselor', false);
    addStaff('032', 'Nurse', false);

    // Students by grade, in blocks that travel together; each block takes the grade's courses.
    const courseByKey = new Map<string, CourseGen>();
    const courseFor = (grade: string, idx: number, name: string, subject: string, term: number | undefined, structureIndex: number): CourseGen => {
      const key = `${grade}|${idx}|${term ?? 'Y'}|${structureIndex}`;
      let c = courseByKey.get(key);
      if (c === undefined) {
        courseCounters.courses++;
        const missingState = isDirty('course-without-state-code') && nth('course', 33);
        if (missingState) courseCounters.coursesWithoutStateCode++;
        const courseID = ids.take('course');
        const suffix = term === undefined ? '' : term === 0 ? 'A' : 'B';
        c = {
          courseID,
          number: `${structureIndex === 1 ? 'CR' : ''}${subject}${grade}${idx}${suffix}`,
          name: `${structureIndex === 1 ? 'CR ' : ''}${name}${suffix ? ` ${suffix}` : ''}`,
          stateCode: missingState
            ? null
            : `0${3 + (idx % 6)}${String(100 + (Number.isNaN(Number(grade)) ? 0 : Number(grade)) * 10 + idx).padStart(4, '0')}${term === undefined ? '00' : `0${term + 1}`}`.slice(
                0,
                8,
              ),
          subject,
          term,
          credits: spec.type === 'H' || spec.type === 'S' ? (term === undefined ? 1 : 0.5) : 0,
        };
        w('course').add({
          courseID,
          calendarID,
          number: c.number,
          name: c.name,
          stateCode: c.stateCode,
          subject,
          credits: c.credits,
          homeroom: subject === 'SC',
          active: true,
        });
        const terms = term === undefined ? [0, 1] : [term];
        const structure = school.structures[structureIndex];
        for (const t of terms)
          w('courseoffering').add({
            offeringID: ids.take('courseoffering'),
            courseID,
            termID: structure.termIDs[t],
            localTitle: c.name,
            instructionalMinutes: 50 * 90,
          });
        courseByKey.set(key, c);
      }
      return c;
    };

    // Teachers: each teaches up to six sections, at most one per period.
    // Load is counted per term: a semester teacher teaches six sections in each term.
    const teacherLoad = new Map<number, Map<number, Set<number>>>();
    const teacherOf = (subject: string, term: number, period: number): number => {
      const pool = subjectTeachers.get(subject) ?? [];
      subjectTeachers.set(subject, pool);
      // A self-contained (homeroom) class has its own teacher; subject teachers share sections.
      for (const t of subject === 'SC' ? [] : pool) {
        const load = teacherLoad.get(t)!;
        const inTerm = load.get(term) ?? new Set<number>();
        if (inTerm.size < 6 && !inTerm.has(period)) {
          inTerm.add(period);
          load.set(term, inTerm);
          return t;
        }
      }
      const t = addStaff('087', `Teacher - ${subject}`, true);
      teacherLoad.set(t, new Map([[term, new Set([period])]]));
      pool.push(t);
      return t;
    };
    const subjectTeachers = new Map<string, number[]>();

    const perGrade = spec.students / band.length;
    for (const [gradeIndex, grade] of band.entries()) {
      const count = Math.max(1, Math.round(rng.around(perGrade, perGrade * 0.08, perGrade * 0.8, perGrade * 1.2)));
      const students: StudentGen[] = [];
      for (let i = 0; i < count; i++) students.push(makeStudent(school, grade));
      // 5% of high-school students are on the credit-recovery structure.
      const structureOf = (s: StudentGen): number => (school.structures.length > 1 && s.personID % 20 === 0 ? 1 : 0);
      for (const structureIndex of school.structures.keys()) {
        const group = students.filter((s) => structureOf(s) === structureIndex);
        if (group.length === 0) continue;
        // Classes of about 22-28, never over 35.
        const blocks = Math.max(1, Math.round(group.length / rng.int(22, 28)), Math.ceil(group.length / 35));
        const list = courseList(spec.type, grade).slice(0, structureIndex === 1 ? 4 : undefined);
        const semester = spec.type === 'H' || (spec.type === 'S' && Number(grade) >= 9);
        const terms: (number | undefined)[] = semester ? [0, 1] : [undefined];
        for (let b = 0; b < blocks; b++) {
          const members = group.filter((_, i) => i % blocks === b);
          for (const term of terms) {
            list.forEach(([name, subject], k) => {
              const course = courseFor(grade, k, name, subject, term, structureIndex);
              const period = (b + k + gradeIndex) % 7;
              addSection(school, structureIndex, course, period, teacherOf(subject, term ?? 0, period), members);
            });
          }
        }
      }
      for (const s of students) finishStudent(s, structureOf(s));
    }
  }
  if (isDirty('course-without-state-code')) dirtyCounts['course-without-state-code'] = { courses: courseCounters.coursesWithoutStateCode };
  if (isDirty('section-without-meeting-period')) dirtyCounts['section-without-meeting-period'] = { sections: courseCounters.sectionsWithoutMeeting };

  // Helpers used above (function declarations are hoisted; they close over the state here).
  function makeStudent(school: SchoolGen, grade: string): StudentGen {
    const personID = ids.person();
    const late = rng.chance(0.08);
    const entry = late ? pickDay(plan.instructionalDays[0], plan.asOf) : plan.instructionalDays[0];
    const withdrawn = rng.chance(0.04);
    const exit = withdrawn ? pickDay(entry + 7, plan.asOf - 1) : undefined;
    const s: StudentGen = { personID, grade, school, entry, exit: exit !== undefined && exit > entry ? exit : undefined };
    school.studentIDs.push(personID);
    return s;
  }

  function pickDay(from: Day, to: Day): Day {
    const candidates = plan.instructionalDays.filter((d) => d >= from && d <= to);
    return candidates.length === 0 ? from : rng.pick(candidates);
  }

  function addSection(school: SchoolGen, structureIndex: number, course: CourseGen, period: number, teacherID: number, members: readonly StudentGen[]): void {
    const sectionID = ids.take('section');
    courseCounters.sections++;
    const number = (sectionNumbers.get(course.courseID) ?? 0) + 1;
    sectionNumbers.set(course.courseID, number);
    w('section').add({ sectionID, courseID: course.courseID, number, roomID: rng.pick(school.roomIDs), maxStudents: 35, homeroom: course.subject === 'SC' });
    const withoutMeeting = isDirty('section-without-meeting-period') && nth('section', 50);
    if (withoutMeeting) courseCounters.sectionsWithoutMeeting++;
    else {
      const structure = school.structures[structureIndex];
      for (const t of course.term === undefined ? [0, 1] : [course.term])
        w('sectionplacement').add({
          placementID: ids.take('sectionplacement'),
          sectionID,
          termID: structure.termIDs[t],
          periodID: structure.periodIDs[period],
        });
    }
    const termRange = course.term === undefined ? [plan.terms[0][0], plan.terms[1][1]] : plan.terms[course.term];
    w('sectionstaff').add({ sectionStaffID: ids.take('sectionstaff'), sectionID, personID: teacherID, role: 'T', startDate: termRange[0], endDate: null });
    for (const m of members) {
      const q = rosterQueue.get(m.personID) ?? [];
      q.push({ sectionID, course, structureIndex });
      rosterQueue.set(m.personID, q);
    }
  }

  // Households share a last name, an address and contacts; siblings join an earlier household.
  function household(): Household {
    if (households.length > 0 && rng.chance(0.25)) return households[households.length - 1 - rng.int(0, Math.min(households.length - 1, 300))];
    const lastName = rng.pick(LAST_NAMES);
    const addr = address();
    const n = rng.weighted([
      [1, 25],
      [2, 60],
      [3, 15],
    ] as const);
    const relations = ['MOT', 'FAT', rng.pick(['GRM', 'GRF', 'AUN', 'UNC', 'STM', 'STF', 'GUA'])];
    const contacts = relations.slice(0, n).map((relation, i) => {
      const personID = ids.person();
      const female = relation === 'MOT' || relation === 'GRM' || relation === 'AUN' || relation === 'STM' || (relation === 'GUA' && rng.chance(0.5));
      const first = rng.pick(female ? FEMALE_NAMES : MALE_NAMES);
      const contactLast = i === 0 || rng.chance(0.7) ? lastName : rng.pick(LAST_NAMES);
      w('contact').add({
        personID,
        lastName: contactLast,
        firstName: first,
        middleName: null,
        gender: female ? 'F' : 'M',
        highestEducation: rng.weighted([
          ['HS', 50],
          ['BA', 35],
          ['MA', 12],
          ['DR', 3],
        ]),
        ...(i < 2 ? addr : address()),
        phone: phone(rng),
        email: rng.chance(0.8) ? `${first}.${contactLast}${personID}@mail.example.com`.toLowerCase() : null,
      });
      return { personID, relation, guardian: i < 2 || relation === 'GUA' };
    });
    const h: Household = { lastName, contacts, addr, phone: phone(rng) };
    households.push(h);
    return h;
  }

  function writeStudentPerson(personID: number, grade: string, schoolYearOffset: number): { first: string; home: string } {
    const h = household();
    const female = rng.chance(0.49);
    const first = rng.pick(female ? FEMALE_NAMES : MALE_NAMES);
    const hispanic = rng.chance(0.5);
    const home =
      hispanic && rng.chance(0.25)
        ? 'SPA'
        : rng.weighted([
            ['ENG', 96],
            ['VIE', 1],
            ['ARA', 1],
            ['ZHO', 1],
            ['URD', 0.5],
            ['TGL', 0.5],
          ]);
    const missingStateId = schoolYearOffset === 0 && isDirty('missing-student-unique-id') && nth('student', 33);
    if (missingStateId) studentsWithoutStateId++;
    const birth = day(`${SCHOOL_YEAR - 1 - ageOf(grade) - schoolYearOffset}-09-01`) - rng.int(0, 364);
    w('student').add({
      personID,
      studentNumber: String(200000 + personID),
      stateID: missingStateId ? null : `${rng.int(1, 9)}${String(personID).padStart(9, '0')}`,
      ssn: `9${String((personID * 7919) % 100000000).padStart(8, '0')}`,
      lastName: h.lastName,
      firstName: first,
      middleName: rng.chance(0.6) ? rng.pick(female ? FEMALE_NAMES : MALE_NAMES) : null,
      suffix: !female && rng.chance(0.02) ? 'Jr' : null,
      birthDate: birth,
      gender: female ? 'F' : 'M',
      hispanicEthnicity: hispanic,
      raceCodes: rng.chance(0.05)
        ? ['W', 'B']
        : [
            rng.weighted([
              ['W', 72],
              ['B', 13],
              ['A', 8],
              ['I', 4],
              ['P', 3],
            ]),
          ],
      homeLanguage: home,
      primaryLanguage: home === 'ENG' || rng.chance(0.5) ? 'ENG' : home,
      censusBlockGroup: `48${String(rng.int(1, 507)).padStart(3, '0')}${String(rng.int(100, 999999)).padStart(6, '0')}${rng.int(1, 4)}`,
      ...h.addr,
      phone: h.phone,
      email: Number(grade) >= 6 ? `s${200000 + personID}@students.example.org` : null,
    });
    h.contacts.forEach((c, i) => {
      const name = useUnmapped('relationship', c.relation, 0.01);
      w('relatedpair').add({
        relatedPairID: ids.take('relatedpair'),
        personID1: personID,
        personID2: c.personID,
        name,
        guardian: c.guardian,
        livesWith: i < 2,
        emergencyPriority: i + 1,
        startDate: null,
        endDate: null,
      });
    });
    return { first, home };
  }

  function finishStudent(s: StudentGen, structureIndex: number): void {
    const { personID, grade, school } = s;
    const { home } = writeStudentPerson(personID, grade, 0);
    const structure = school.structures[structureIndex];
    const startStatus = useUnmapped('entryType', s.entry === plan.instructionalDays[0] ? '01' : rng.pick(['02', '03', '04']), 0.05);
    w('enrollment').add({
      enrollmentID: ids.take('enrollment'),
      personID,
      calendarID: school.calendarID,
      structureID: structure.structureID,
      grade,
      serviceType: 'P',
      startDate: s.entry,
      startStatus,
      endDate: s.exit ?? null,
      endStatus: s.exit === undefined ? null : rng.pick(['60', '81', '82', '83', '98']),
      noShow: false,
      stateExclude: false,
    });
    const end = s.exit;
    const classes: Array<{ sectionID: number; begin: Day; end: Day | null }> = [];
    for (const r of rosterQueue.get(personID) ?? []) {
      const termRange = r.course.term === undefined ? ([plan.terms[0][0], plan.terms[1][1]] as const) : plan.terms[r.course.term];
      const begin = Math.max(termRange[0], s.entry);
      if (end !== undefined && end < begin) continue;
      const rosterEnd = end !== undefined && end < termRange[1] ? end : r.course.term === 0 ? termRange[1] : null;
      w('roster').add({ rosterID: ids.take('roster'), personID, sectionID: r.sectionID, startDate: begin, endDate: rosterEnd });
      classes.push({ sectionID: r.sectionID, begin, end: rosterEnd });
      // Grades for grading periods that ended (and that the student attended to the end).
      const base = rng.around(84, 10, 50, 100);
      plan.gradingPeriods.forEach(([gpStart, gpEnd], gi) => {
        if (!gpEnded[gi] || gpEnd < begin || (rosterEnd !== null && rosterEnd < gpEnd) || gpStart > termRange[1]) return;
        if (r.course.term !== undefined && (gi < 3 ? 0 : 1) !== r.course.term) return;
        const percent = Math.round(Math.max(40, Math.min(100, base + rng.int(-8, 8))));
        w('gradingscore').add({
          scoreID: ids.take('gradingscore'),
          personID,
          sectionID: r.sectionID,
          gradingPeriodID: structure.gradingPeriodIDs[gi],
          gradeType: 'GP',
          score: letterGrade(percent),
          percent,
          date: gpEnd + 3,
        });
      });
      if (r.course.term === 0 && rosterEnd === termRange[1] && termRange[1] < plan.asOf) {
        const percent = Math.round(base);
        w('gradingscore').add({
          scoreID: ids.take('gradingscore'),
          personID,
          sectionID: r.sectionID,
          gradingPeriodID: structure.gradingPeriodIDs[2],
          gradeType: 'SEM',
          score: letterGrade(percent),
          percent,
          date: termRange[1] + 3,
        });
        semesterOneCredits.push({ personID, course: r.course, percent });
      }
    }
    rosterQueue.delete(personID);
    writeAttendance(s, classes);
    if (Number(grade) >= 9) writeTranscripts(s);
    programsFor(s, home);
  }

  /**
   * A student's attendance exceptions up to the as-of date: each has their own absence and tardy
   * rates; secondary schools also take attendance every period, so a day's absence is in each of
   * the day's classes, and a class is now and then skipped.
   */
  function writeAttendance(s: StudentGen, classes: ReadonlyArray<{ sectionID: number; begin: Day; end: Day | null }>): void {
    const rng = attendanceRng;
    const last = s.exit !== undefined && s.exit < plan.asOf ? s.exit : plan.asOf;
    const absent = rng.around(0.035, 0.03, 0, 0.3);
    const tardy = rng.around(0.025, 0.02, 0, 0.2);
    const byPeriod = s.school.spec.type !== 'E';
    for (const day of plan.instructionalDays) {
      if (day < s.entry || day > last) continue;
      const r = rng.next();
      const code = r < absent ? (rng.chance(0.5) ? 'E' : 'A') : r < absent + tardy ? 'T' : r < absent + tardy + 0.005 ? 'ED' : null;
      if (code !== null)
        w('attendance').add({
          attendanceID: ids.take('attendance'),
          personID: s.personID,
          schoolID: s.school.schoolID,
          calendarID: s.school.calendarID,
          date: day,
          code,
          minutes: code === 'T' ? rng.int(3, 30) : code === 'ED' ? rng.int(30, 150) : null,
        });
      if (!byPeriod) continue;
      classes.forEach((c, i) => {
        if (day < c.begin || (c.end !== null && day > c.end)) return;
        const period = code === 'A' || code === 'E' ? code : code === 'T' && i === 0 ? 'T' : rng.chance(0.01) ? 'A' : null;
        if (period === null) return;
        w('sectionattendance').add({
          sectionAttendanceID: ids.take('sectionattendance'),
          personID: s.personID,
          sectionID: c.sectionID,
          date: day,
          code: period,
          minutes: period === 'T' ? rng.int(3, 20) : null,
        });
      });
    }
  }

  function writeTranscripts(s: StudentGen): void {
    const g = Number(s.grade);
    let cumulative = 0;
    let gpaSum = 0;
    let gpaN = 0;
    for (let prior = 9; prior < g; prior++) {
      const endYear = SCHOOL_YEAR - (g - prior);
      for (const term of [0, 1]) {
        let earned = 0;
        courseList('H', String(prior).padStart(2, '0')).forEach(([name, subject], k) => {
          const percent = Math.round(rng.around(83, 11, 45, 100));
          const pass = percent >= 70;
          earned += pass ? 0.5 : 0;
          gpaSum += percent >= 90 ? 4 : percent >= 80 ? 3 : percent >= 70 ? 2 : 0;
          gpaN++;
          const suffix = term === 0 ? 'A' : 'B';
          w('transcriptcourse').add({
            transcriptID: ids.take('transcriptcourse'),
            personID: s.personID,
            schoolID: s.school.schoolID,
            endYear,
            term: `S${term + 1}`,
            grade: String(prior).padStart(2, '0'),
            courseNumber: `${subject}${String(prior).padStart(2, '0')}${k}${suffix}`,
            courseName: `${name} ${suffix}`,
            stateCode: `0${3 + (k % 6)}${String(100 + prior * 10 + k).padStart(4, '0')}0${term + 1}`.slice(0, 8),
            score: letterGrade(percent),
            percent,
            creditsAttempted: 0.5,
            creditsEarned: pass ? 0.5 : 0,
            result: pass ? 'P' : 'F',
          });
        });
        cumulative += earned;
        w('academicrecord').add({
          recordID: ids.take('academicrecord'),
          personID: s.personID,
          schoolID: s.school.schoolID,
          endYear,
          term: `S${term + 1}`,
          gpaCumulative: Math.round((gpaSum / gpaN) * 100) / 100,
          creditsAttempted: 3.5,
          creditsEarned: earned,
          creditsEarnedCumulative: cumulative,
          diplomaType: null,
          diplomaDate: null,
        });
      }
    }
    // The first semester of this year is complete: its courses are on the transcript too.
    const done = semesterOneCredits.filter((c) => c.personID === s.personID);
    if (done.length > 0) {
      let earned = 0;
      for (const c of done) {
        const pass = c.percent >= 70;
        earned += pass ? c.course.credits : 0;
        w('transcriptcourse').add({
          transcriptID: ids.take('transcriptcourse'),
          personID: s.personID,
          schoolID: s.school.schoolID,
          endYear: SCHOOL_YEAR,
          term: 'S1',
          grade: s.grade,
          courseNumber: c.course.number,
          courseName: c.course.name,
          stateCode: c.course.stateCode,
          score: letterGrade(c.percent),
          percent: c.percent,
          creditsAttempted: c.course.credits,
          creditsEarned: pass ? c.course.credits : 0,
          result: pass ? 'P' : 'F',
        });
      }
      cumulative += earned;
      w('academicrecord').add({
        recordID: ids.take('academicrecord'),
        personID: s.personID,
        schoolID: s.school.schoolID,
        endYear: SCHOOL_YEAR,
        term: 'S1',
        gpaCumulative: gpaN > 0 ? Math.round((gpaSum / gpaN) * 100) / 100 : null,
        creditsAttempted: done.length * 0.5,
        creditsEarned: earned,
        creditsEarnedCumulative: cumulative,
        diplomaType: null,
        diplomaDate: null,
      });
    }
    semesterOneCredits.length = 0;
  }

  function programsFor(s: StudentGen, home: string): void {
    const { personID, school } = s;
    const schoolID = school.schoolID;
    const begin = s.entry;
    const end = s.exit ?? null;
    const secondary = Number(s.grade) >= 9;
    if (secondary && nth('cte', 5)) {
      w('cte').add({
        cteID: ids.take('cte'),
        personID,
        programID: programs.get('CTE')!,
        schoolID,
        startDate: begin,
        endDate: end,
        careerPathway: rng.pick(codesOf('careerPathway')),
        serviceCode: rng.pick(['V1', 'V2', 'V3']),
      });
    }
    if (home !== 'ENG' ? rng.chance(0.7) : rng.chance(0.02)) {
      const bilingual = school.spec.type === 'E';
      w('languageprogram').add({
        languageProgramID: ids.take('languageprogram'),
        personID,
        programID: programs.get(bilingual ? 'BIL' : 'ESL')!,
        schoolID,
        startDate: begin,
        endDate: end,
        serviceCode: bilingual ? rng.pick(['TBE', 'DL1']) : rng.pick(['ESLC', 'ESLP']),
        proficiency: rng.weighted([
          ['EB', 85],
          ['M1', 10],
          ['M2', 5],
        ]),
        parentPermission: rng.chance(0.95),
      });
    }
    const sped = rng.chance(0.12);
    if (sped) {
      const iepBegin = begin - rng.int(0, 200);
      w('specialed').add({
        specialEdID: ids.take('specialed'),
        personID,
        programID: programs.get('SPED')!,
        schoolID,
        startDate: begin,
        endDate: end,
        primaryDisability: rng.weighted([
          ['07', 35],
          ['08', 20],
          ['09', 14],
          ['02', 14],
          ['06', 6],
          ['05', 6],
          ['01', 2],
          ['03', 1],
          ['04', 1],
          ['11', 1],
        ]),
        setting: rng.weighted([
          ['40', 60],
          ['41', 20],
          ['42', 12],
          ['44', 8],
        ]),
        iepBeginDate: iepBegin,
        iepEndDate: iepBegin + 364,
        iepReviewDate: iepBegin + 350,
        lastEvaluationDate: iepBegin - rng.int(0, 900),
        medicallyFragile: rng.chance(0.01),
        multiplyDisabled: rng.chance(0.03),
        caseManagerPersonID: rng.pick(school.staffIDs),
      });
      if (nth('restraint', 50)) {
        w('restraintevent').add({
          restraintID: ids.take('restraintevent'),
          personID,
          schoolID,
          date: pickDay(begin, plan.asOf),
          reason: rng.pick(['01', '02', '03']),
          staffType: rng.weighted([
            ['01', 9],
            ['02', 1],
          ]),
          environment: rng.pick(['C', 'R', 'O']),
        });
      }
    }
    if (sped ? nth('evaluated-sped', 10) : nth('evaluated', 70)) {
      const consent = pickDay(plan.instructionalDays[0], plan.asOf);
      const evaluated = consent + rng.int(30, 60) < plan.asOf;
      const late = rng.chance(0.15);
      w('specialedeligibility').add({
        eligibilityID: ids.take('specialedeligibility'),
        personID,
        programID: programs.get('SPED')!,
        schoolID,
        consentDate: consent,
        evaluationDate: evaluated ? consent + rng.int(30, 45) + (late ? rng.int(1, 20) : 0) : null,
        eligibilityDate: evaluated ? consent + rng.int(50, 60) : null,
        evaluationDelayDays: evaluated && late ? rng.int(1, 20) : null,
        delayReason: evaluated && late ? rng.pick(['01', '02', '03']) : null,
        ideaIndicator: evaluated ? sped : null,
      });
    }
    if (school.titleI && nth('titleone', 4)) {
      w('titleone').add({
        titleOneID: ids.take('titleone'),
        personID,
        programID: programs.get('T1A')!,
        schoolID,
        startDate: begin,
        endDate: end,
        participant: 'TA',
      });
    }
  }

  // Employment (HR) for every staff member but the dirty ones.
  let staffWithoutEmployment = 0;
  for (const { personID, hire } of staffEmployment) {
    if (isDirty('staff-without-employment') && nth('staff', 33)) {
      staffWithoutEmployment++;
      continue;
    }
    w('employment').add({
      employmentID: ids.take('employment'),
      personID,
      districtID,
      startDate: hire,
      endDate: null,
      status: hire < YEAR_START - 3 * 365 ? 'T' : rng.pick(['C', 'P']),
      fte: 1,
      endReason: null,
    });
  }
  if (isDirty('staff-without-employment')) dirtyCounts['staff-without-employment'] = { staff: staffWithoutEmployment };
  if (isDirty('missing-student-unique-id')) dirtyCounts['missing-student-unique-id'] = { students: studentsWithoutStateId };

  // Some assignments end early (served in part, the student withdrew): a stream of their own, forked
  // from a fresh root so neither this district's other streams nor their order change.
  const lengthRng = new Random(seed).fork('discipline-length');
  // Cohorts, discipline and finance per school.
  for (const school of schools) {
    const { schoolID, calendarID } = school;
    for (const [type, name] of [
      ['CLUB', school.spec.type === 'E' ? 'Chess Club' : 'Robotics Club'],
      ['INT', 'Reading Intervention'],
      ['GT', 'Gifted and Talented'],
    ] as const) {
      const cohortID = ids.take('cohort');
      w('cohort').add({
        cohortID,
        schoolID,
        name,
        type,
        description: `${name} ${SCHOOL_YEAR - 1}-${SCHOOL_YEAR}`,
        programID: type === 'GT' ? programs.get('GT')! : null,
      });
      for (const personID of rng.sample(school.studentIDs, rng.int(15, 30)))
        w('cohortstudent').add({ cohortStudentID: ids.take('cohortstudent'), cohortID, personID, startDate: plan.instructionalDays[10], endDate: null });
      w('cohortstaff').add({
        cohortStaffID: ids.take('cohortstaff'),
        cohortID,
        personID: rng.pick(school.teacherIDs.length > 0 ? school.teacherIDs : school.staffIDs),
        startDate: plan.instructionalDays[10],
        endDate: null,
      });
    }
    const rate = school.spec.type === 'E' ? 0.01 : 0.05;
    const incidents = Math.max(1, Math.round(school.studentIDs.length * rate));
    for (let i = 0; i < incidents; i++) writeIncident(school, calendarID);
  }

  function writeIncident(school: SchoolGen, calendarID: number): void {
    const incidentID = ids.take('behaviorincident');
    const date = pickDay(plan.instructionalDays[5], plan.asOf);
    const code = useUnmapped(
      'behavior',
      rng.weighted([
        ['21', 70],
        ['41', 22],
        ['26', 4],
        ['36', 3],
        ['07', 1],
      ]),
      0.05,
    );
    w('behaviorincident').add({
      incidentID,
      schoolID: school.schoolID,
      calendarID,
      date,
      time: `${String(rng.int(8, 15)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00`,
      title: code === '41' ? 'Fight' : 'Conduct violation',
      location: rng.pick(['CL', 'HW', 'CAF', 'BUS', 'PG']),
      description: 'Generated incident',
      reportedToPolice: code === '36' || code === '26',
      reporterPersonID: rng.pick(school.staffIDs),
    });
    const eventID = ids.take('behaviorevent');
    w('behaviorevent').add({ eventID, incidentID, code, description: null });
    const offenders = rng.sample(school.studentIDs, code === '41' ? 2 : 1);
    for (const personID of offenders) {
      const roleID = ids.take('behaviorrole');
      w('behaviorrole').add({ roleID, eventID, personID, role: 'OFF' });
      if (rng.chance(0.9)) {
        const action =
          code === '36'
            ? '07'
            : rng.weighted([
                ['06', 50],
                ['05', 25],
                ['DET', 25],
              ]);
        const length = action === '07' ? 30 : rng.int(1, 3);
        const actual = length > 1 && lengthRng.chance(0.15) ? lengthRng.int(1, length - 1) : length;
        w('behaviorresolution').add({
          resolutionID: ids.take('behaviorresolution'),
          roleID,
          code: action,
          startDate: date + 1,
          endDate: date + actual,
          lengthDays: length,
          actualLengthDays: actual,
          lengthDifferenceReason: actual === length ? '00' : lengthRng.pick(['MOD', 'WD']),
          assignmentSchoolID: school.schoolID,
          staffPersonID: school.adminIDs[0] ?? null,
        });
      }
    }
    if (code === '41' && rng.chance(0.3)) {
      const victim = rng.pick(school.studentIDs);
      if (!offenders.includes(victim)) w('behaviorrole').add({ roleID: ids.take('behaviorrole'), eventID, personID: victim, role: 'VIC' });
    }
  }

  // Responsibility: about 1% of students are accounted for at another campus of the district (a
  // placement elsewhere); drawn from a stream of their own so the rest of the district is unchanged.
  const responsibilityRng = root.fork('responsibility');
  // A one-campus district has nowhere else to account for them: a few bus riders' transportation instead.
  for (const school of schools) {
    const other = schools.filter((s) => s !== school);
    const count = Math.max(1, Math.round(school.studentIDs.length * 0.01));
    for (const personID of responsibilityRng.sample(school.studentIDs, Math.min(count, school.studentIDs.length)))
      w('responsibility').add({
        responsibilityID: ids.take('responsibility'),
        personID,
        schoolID: other.length > 0 ? responsibilityRng.pick(other).schoolID : school.schoolID,
        responsibility: other.length > 0 ? 'ACC' : 'TRN',
        startDate: plan.instructionalDays[0],
        endDate: null,
      });
  }

  // The district's last campus is a campus charter with a waitlist: applicants for next year, about
  // 5% of its students (their own random stream: the rest of the district is unchanged).
  const applicationRng = root.fork('applications');
  const charter = schools[schools.length - 1];
  const band = GRADE_BANDS[charter.spec.type];
  for (let i = 0; i < Math.max(2, Math.round(charter.studentIDs.length * 0.05)); i++) {
    const grade = applicationRng.pick(band);
    const female = applicationRng.chance(0.5);
    const applicationID = ids.take('application');
    w('application').add({
      applicationID,
      schoolID: charter.schoolID,
      endYear: SCHOOL_YEAR,
      applicationType: 'WL',
      applicationDate: day(`${SCHOOL_YEAR - 1}-03-01`) + applicationRng.int(0, 120),
      grade,
      lastName: applicationRng.pick(LAST_NAMES),
      firstName: applicationRng.pick(female ? FEMALE_NAMES : MALE_NAMES),
      birthDate: day(`${SCHOOL_YEAR - 1 - ageOf(grade)}-09-01`) - applicationRng.int(0, 364),
      gender: female ? 'F' : 'M',
      ssn: `8${String((applicationID * 7919) % 100000000).padStart(8, '0')}`,
      stateID: applicationRng.chance(0.6) ? `${applicationRng.int(1, 9)}${String(900000 + applicationID).padStart(9, '0')}` : null,
    });
  }

  // Prior-year leavers: about 3% of last year's students did not come back.
  const totalStudents = schools.reduce((n, s) => n + s.studentIDs.length, 0);
  const leavers = Math.max(1, Math.round(totalStudents * 0.03));
  for (let i = 0; i < leavers; i++) {
    const school = schools[i % schools.length];
    const band = GRADE_BANDS[school.spec.type];
    const graduate = band.includes('12') && rng.chance(0.5);
    const grade = graduate ? '12' : rng.pick(band);
    const personID = ids.person();
    writeStudentPerson(personID, grade, 1);
    const exitDate = graduate ? day('2024-05-30') : day('2023-09-01') + rng.int(0, 260);
    w('prioryearleaver').add({
      leaverID: ids.take('prioryearleaver'),
      personID,
      schoolID: school.schoolID,
      endYear: SCHOOL_YEAR - 1,
      grade,
      exitDate,
      exitCode: graduate ? '01' : rng.pick(['16', '60', '81', '82', '98']),
      lastFridayOctoberStatus: graduate ? '01' : exitDate < day('2023-10-27') ? '03' : '01',
      diplomaType: graduate ? rng.pick(['34', '35', '31']) : null,
      diplomaDate: graduate ? day('2024-05-30') : null,
    });
  }

  // Finance: budget and year-to-date actuals per campus and the district office; payroll per staff.
  const accountLines: readonly (readonly [string, string, string])[] = [
    ['11', '6119', '11'],
    ['11', '6129', '11'],
    ['11', '6399', '11'],
    ['12', '6119', '11'],
    ['13', '6119', '11'],
    ['23', '6119', '99'],
    ['31', '6119', '99'],
    ['33', '6119', '99'],
    ['36', '6399', '91'],
    ['41', '6219', '99'],
    ['51', '6259', '99'],
    ['52', '6299', '99'],
  ];
  for (const organization of [...schools.map((s) => s.number), '999']) {
    for (const [fn, obj, intent] of accountLines) {
      const budget = rng.int(20, 400) * 1000 * (organization === '999' ? 3 : 1);
      const common = {
        districtID,
        personID: null,
        fiscalYear: SCHOOL_YEAR,
        fund: '199',
        function: fn,
        object: obj,
        organization,
        programIntent: intent,
        payrollActivity: null,
        beginDate: day('2024-07-01'),
        endDate: day('2025-06-30'),
      };
      w('financeline').add({ lineID: ids.take('financeline'), lineType: 'budget', amount: budget, ...common });
      w('financeline').add({ lineID: ids.take('financeline'), lineType: 'actual', amount: Math.round(budget * rng.around(0.45, 0.1, 0.2, 0.7)), ...common });
    }
  }
  for (const school of schools) {
    for (const personID of school.staffIDs) {
      const teacher = school.teacherIDs.includes(personID);
      w('financeline').add({
        lineID: ids.take('financeline'),
        districtID,
        lineType: 'payroll',
        personID,
        fiscalYear: SCHOOL_YEAR,
        fund: '199',
        function: teacher ? '11' : '23',
        object: teacher ? '6119' : '6119',
        organization: school.number,
        programIntent: teacher ? '11' : '99',
        payrollActivity: '01',
        amount: rng.int(48, 95) * 1000,
        beginDate: day('2024-07-01'),
        endDate: null,
      });
    }
  }

  // The closed prior fiscal year's actuals (TEDS 2025.2.1 on reports them as Prior Year Actuals), contracted
  // instructional staff at some campuses, and the special education cooperative the district belongs to.
  // Their own random stream: the rest of the district is what it was before they existed.
  const financeRng = root.fork('finance-prior-year');
  for (const organization of [...schools.map((s) => s.number), '999'])
    for (const [fn, obj, intent] of accountLines)
      w('financeline').add({
        lineID: ids.take('financeline'),
        districtID,
        lineType: 'actual',
        personID: null,
        fiscalYear: SCHOOL_YEAR - 1,
        fund: '199',
        function: fn,
        object: obj,
        organization,
        programIntent: intent,
        payrollActivity: null,
        amount: financeRng.int(15, 390) * 1000 * (organization === '999' ? 3 : 1),
        beginDate: day('2023-07-01'),
        endDate: day('2024-06-30'),
      });
  for (const [i, school] of schools.entries())
    if (i === 0 || financeRng.chance(0.5))
      w('contractedfte').add({
        contractedFteID: ids.take('contractedfte'),
        schoolID: school.schoolID,
        fiscalYear: SCHOOL_YEAR,
        programIntent: financeRng.pick(['11', '23', '25']),
        fte: financeRng.int(1, 24) / 4,
      });
  w('ssa').add({
    ssaID: ids.take('ssa'),
    districtID,
    ssaType: '23',
    fiscalAgentNumber: `${leaNumber.slice(0, 3)}${String(financeRng.int(901, 999))}`,
    name: `${town} Area Special Education Cooperative`,
  });

  // Changes planned for the first mutation day.
  if (isDirty('second-schedule-structure')) {
    const target =
      schools.find((s) => s.structures.length === 1 && !s.exclude && excludedCalendarSchool !== s) ??
      schools.find((s) => s.structures.length === 1) ??
      schools[0];
    plannedChanges.push({ kind: 'second-schedule-structure', calendarID: target.calendarID, structureName: 'Block Schedule' });
    dirtyCounts['second-schedule-structure'] = { calendars: 1 };
  }
  if (isDirty('school-number-change')) {
    const target = schools.find((s) => !s.exclude && /^\d+$/.test(s.stateSchoolNumber)) ?? schools[0];
    const toNumber = String(Number(target.number) + 500).padStart(3, '0');
    plannedChanges.push({
      kind: 'school-number-change',
      schoolID: target.schoolID,
      fromNumber: target.number,
      toNumber,
      fromStateSchoolNumber: target.stateSchoolNumber,
      toStateSchoolNumber: `${leaNumber}${toNumber}`,
    });
    dirtyCounts['school-number-change'] = { schools: 1 };
  }

  if (isDirty('unmapped-local-codes'))
    dirtyCounts['unmapped-local-codes'] = { codes: UNMAPPED_CODES.length, records: Object.values(unmappedUses).reduce((a, b) => a + b, 0) };

  const tables = TABLES.map((t) => writers.get(t.name)!.finish());
  const hash = createHash('sha256');
  for (const t of tables) {
    hash.update(`${t.name}\n`);
    for (const c of t.chunks) hash.update(c);
  }
  return {
    size,
    seed,
    dirty,
    schoolYear: SCHOOL_YEAR,
    asOfDate: isoDate(plan.asOf),
    tables,
    counts: Object.fromEntries(tables.map((t) => [t.name, t.rowCount])),
    dirtyCounts,
    plannedChanges,
    digest: hash.digest('hex'),
  };
}

/** Parses a generated table's COPY text back into rows of strings (NULL → null); for tests and small checks. */
export function tableRows(district: District, name: string): Record<string, string | null>[] {
  const table = district.tables.find((t) => t.name === name);
  if (table === undefined) throw new Error(`no table ${name}`);
  const columns = tableDef(name).columns.map((c) => c.name);
  const rows: Record<string, string | null>[] = [];
  for (const line of table.chunks.join('').split('\n')) {
    if (line === '') continue;
    const fields = line.split('\t');
    rows.push(Object.fromEntries(columns.map((c, i) => [c, fields[i] === '\\N' ? null : (fields[i] ?? null)])));
  }
  return rows;
}

/** Grades a school type serves (used by mutation days to place new students). */
export function gradeBand(type: string): readonly string[] {
  return GRADE_BANDS[type as SchoolType] ?? GRADES;
}
