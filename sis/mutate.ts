/**
 * One school day of realistic SIS activity, written through the replica's own tables so the
 * capture triggers fill the event queue exactly as production changes would.
 */
import pg from 'pg';
import { Random } from './random.js';
import { isoDate, type Day, day as toDay } from './dates.js';
import { yearPlan, type PlannedChange } from './generate.js';
import { FEMALE_NAMES, MALE_NAMES, LAST_NAMES, STREETS, STREET_KINDS } from './codes.js';
import { SIS_WRITE_LOCK } from './load.js';

export interface MutateOptions {
  /** 1 = the first school day after the generated district's as-of date. */
  readonly day: number;
  /** Defaults to the generation seed; with the same database state the same day gives the same changes. */
  readonly seed?: number;
}

export interface MutationSummary {
  readonly day: number;
  readonly date: string;
  readonly newEnrollments: number;
  readonly newContacts: number;
  readonly withdrawals: number;
  readonly scheduleChanges: number;
  readonly gradePostings: number;
  readonly gradeChanges: number;
  readonly disciplineIncidents: number;
  readonly uniqueIdsAssigned: number;
  readonly addressChanges: number;
  /** Attendance exceptions of the day (daily and period). */
  readonly attendanceEvents: number;
  /** Unexcused absences of the last two weeks excused by a parent's note. */
  readonly absencesExcused: number;
  /** Planned dirty situations applied today (first mutation day only). */
  readonly plannedChanges: readonly PlannedChange['kind'][];
  /** Rows the event queue gained. */
  readonly events: number;
}

export class MutationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MutationRefused';
  }
}

/** The calendar date of mutation day `n`: the n-th instructional day after the as-of date. */
export function mutationDate(asOfDate: string, n: number): Day {
  const plan = yearPlan();
  const from = toDay(asOfDate);
  const later = plan.instructionalDays.filter((d) => d > from);
  const d = later[n - 1];
  if (d === undefined) throw new MutationRefused(`day ${n} is past the end of the school year; choose a day from 1 to ${later.length}`);
  return d;
}

/** How many changes of each kind a day brings, by number of enrolled students (at least one each). */
export function dailyVolumes(
  activeStudents: number,
): Record<
  'newEnrollments' | 'withdrawals' | 'scheduleChanges' | 'newContacts' | 'gradePostings' | 'gradeChanges' | 'disciplineIncidents' | 'addressChanges',
  number
> {
  const per = (rate: number): number => Math.max(1, Math.round(activeStudents * rate));
  return {
    newEnrollments: per(0.002),
    withdrawals: per(0.0015),
    scheduleChanges: per(0.003),
    newContacts: per(0.001),
    gradePostings: per(0.02),
    gradeChanges: per(0.002),
    disciplineIncidents: per(0.0008),
    addressChanges: per(0.001),
  };
}

interface GenerationRow {
  generationid: number;
  seed: string;
  asofdate: Date | string;
  plannedchanges: PlannedChange[];
  plannedappliedonday: number | null;
}

type Q = Record<string, unknown>;

/** Rows of `table` whose key is among random probes and that pass `where`, in probe order. */
async function probe<T extends Q>(
  client: pg.ClientBase,
  rng: Random,
  table: string,
  key: string,
  want: number,
  where: string,
  params: readonly unknown[],
): Promise<T[]> {
  const max = Number((await client.query<{ m: number | null }>(`SELECT max(${key}) AS m FROM ${table}`)).rows[0]?.m ?? 0);
  const found: T[] = [];
  const seen = new Set<number>();
  for (let attempt = 0; attempt < 8 && found.length < want && max > 0; attempt++) {
    const ids: number[] = [];
    for (let i = 0; i < (want - found.length) * 6 + 4; i++) {
      const id = rng.int(1, max);
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
    const placeholders = params.map((_, i) => `$${i + 2}`);
    const sql = `SELECT * FROM ${table} WHERE ${key} = ANY($1::int[]) AND (${where.replace(/\$(\d+)/g, (_, n: string) => placeholders[Number(n) - 1])})`;
    const rows = (await client.query<T>(sql, [ids, ...params])).rows;
    const byId = new Map(rows.map((r) => [Number(r[key.toLowerCase()]), r]));
    for (const id of ids) {
      const r = byId.get(id);
      if (r !== undefined && found.length < want) found.push(r);
    }
  }
  return found;
}

export async function mutateDay(url: string, options: MutateOptions): Promise<MutationSummary> {
  if (!Number.isSafeInteger(options.day) || options.day < 1) throw new MutationRefused(`day must be a positive whole number, got ${options.day}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT pg_advisory_xact_lock(${SIS_WRITE_LOCK})`);
      const summary = await mutateWithin(client, options);
      await client.query('COMMIT');
      return summary;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  } finally {
    await client.end();
  }
}

async function mutateWithin(client: pg.ClientBase, options: MutateOptions): Promise<MutationSummary> {
  const generation = (
    await client.query<GenerationRow>('SELECT * FROM sis_generation ORDER BY generationID DESC LIMIT 1').catch(() => ({ rows: [] as GenerationRow[] }))
  ).rows[0];
  if (generation === undefined) throw new MutationRefused('the SIS database holds no generated district; run `npm run sis -- generate` first');
  const applied = await client.query<{ applied: Date }>('SELECT appliedAt AS applied FROM sis_mutation WHERE day = $1', [options.day]);
  if (applied.rows.length > 0)
    throw new MutationRefused(
      `day ${options.day} was already applied (${applied.rows[0].applied.toISOString()}); choose another day or regenerate with --replace`,
    );
  const asOf = generation.asofdate instanceof Date ? generation.asofdate.toISOString().slice(0, 10) : generation.asofdate;
  const date = mutationDate(asOf, options.day);
  const when = isoDate(date);
  const seed = options.seed ?? Number(generation.seed);
  const rng = new Random((seed * 7919 + options.day * 104_729) >>> 0);
  const {
    rows: [lastEvent],
  } = await client.query<{ id: string | null }>('SELECT max(eventID) AS id FROM event_queue');

  const planned: PlannedChange['kind'][] = [];
  if (generation.plannedappliedonday === null) {
    for (const change of generation.plannedchanges) {
      await applyPlanned(client, change);
      planned.push(change.kind);
    }
    await client.query('UPDATE sis_generation SET plannedAppliedOnDay = $1 WHERE generationID = $2', [options.day, generation.generationid]);
  }

  const activeWhere = `startDate <= $1 AND (endDate IS NULL OR endDate > $1) AND noShow = false`;
  const active = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM enrollment WHERE ${activeWhere}`, [when])).rows[0].n);
  const volume = dailyVolumes(active);

  // Withdrawals: the enrollment ends today and so do the student's classes.
  interface EnrollmentRow extends Q {
    enrollmentid: number;
    personid: number;
    calendarid: number;
    structureid: number;
    grade: string;
  }
  const leaving = await probe<EnrollmentRow>(client, rng, 'enrollment', 'enrollmentID', volume.withdrawals, activeWhere, [when]);
  for (const e of leaving) {
    await client.query('UPDATE enrollment SET endDate = $2, endStatus = $3 WHERE enrollmentID = $1', [
      e.enrollmentid,
      when,
      rng.pick(['60', '81', '82', '83', '98']),
    ]);
    await client.query('UPDATE roster SET endDate = $2 WHERE personID = $1 AND (endDate IS NULL OR endDate > $2)', [e.personid, when]);
  }

  // New students: enrolled today, given the schedule of a classmate in the same grade.
  const templates = await probe<EnrollmentRow>(client, rng, 'enrollment', 'enrollmentID', volume.newEnrollments, activeWhere, [when]);
  let newContacts = 0;
  for (const t of templates) {
    const female = rng.chance(0.5);
    const last = rng.pick(LAST_NAMES);
    const addr = { address: `${rng.int(100, 9999)} ${rng.pick(STREETS)} ${rng.pick(STREET_KINDS)}`, zip: `7${rng.int(5000, 9999)}` };
    const birth = isoDate(date - 365 * (t.grade === 'PK' ? 4 : t.grade === 'KG' ? 5 : 5 + Number(t.grade)) - rng.int(0, 364));
    const {
      rows: [student],
    } = await client.query<{ personid: number }>(
      `INSERT INTO student (personID, studentNumber, stateID, ssn, lastName, firstName, birthDate, gender, hispanicEthnicity, raceCodes, homeLanguage, primaryLanguage, address, city, state, zip)
       SELECT n.id, (200000 + n.id)::text, NULL, '9' || lpad(((n.id::bigint * 7919) % 100000000)::text, 8, '0'), $1, $2, $3, $4, $5, $6, 'ENG', 'ENG', $7, (SELECT city FROM district LIMIT 1), 'TX', $8
         FROM (SELECT greatest((SELECT max(personID) FROM student), (SELECT max(personID) FROM contact), (SELECT max(personID) FROM staff)) + 1 AS id) n
       RETURNING personID`,
      [last, rng.pick(female ? FEMALE_NAMES : MALE_NAMES), birth, female ? 'F' : 'M', rng.chance(0.5), [rng.pick(['W', 'B', 'A'])], addr.address, addr.zip],
    );
    const personID = student.personid;
    await client.query(
      `INSERT INTO enrollment (personID, calendarID, structureID, grade, serviceType, startDate, startStatus, noShow, stateExclude) VALUES ($1, $2, $3, $4, 'P', $5, $6, false, false)`,
      [personID, t.calendarid, t.structureid, t.grade, when, rng.pick(['02', '03', '04'])],
    );
    await client.query(
      `INSERT INTO roster (personID, sectionID, startDate, endDate)
       SELECT $1, sectionID, $3, endDate FROM roster WHERE personID = $2 AND startDate <= $3 AND (endDate IS NULL OR endDate > $3) ORDER BY rosterID`,
      [personID, t.personid, when],
    );
    await addContact(client, rng, personID, last, female ? 'MOT' : 'FAT', 1, addr);
    newContacts++;
  }

  // Contacts added to students already enrolled (a grandparent as emergency contact, …).
  const needContacts = await probe<EnrollmentRow>(client, rng, 'enrollment', 'enrollmentID', volume.newContacts, activeWhere, [when]);
  for (const e of needContacts) {
    const {
      rows: [priority],
    } = await client.query<{ n: number }>('SELECT coalesce(max(emergencyPriority), 0) + 1 AS n FROM relatedpair WHERE personID1 = $1', [e.personid]);
    await addContact(client, rng, e.personid, rng.pick(LAST_NAMES), rng.pick(['GRM', 'GRF', 'AUN', 'UNC']), priority.n, null);
    newContacts++;
  }

  // Schedule changes: a student moves to another section of the same course.
  interface RosterRow extends Q {
    rosterid: number;
    personid: number;
    sectionid: number;
  }
  const moves = await probe<RosterRow>(client, rng, 'roster', 'rosterID', volume.scheduleChanges, `startDate < $1 AND (endDate IS NULL OR endDate > $1)`, [
    when,
  ]);
  let scheduleChanges = 0;
  for (const r of moves) {
    const {
      rows: [other],
    } = await client.query<{ sectionid: number }>(
      `SELECT s2.sectionID FROM section s JOIN section s2 ON s2.courseID = s.courseID AND s2.sectionID <> s.sectionID WHERE s.sectionID = $1 ORDER BY s2.sectionID LIMIT 1 OFFSET $2`,
      [r.sectionid, rng.int(0, 2)],
    );
    if (other === undefined) continue;
    // The new class runs until the old one would have ended (term end), or open-ended.
    const {
      rows: [old],
    } = await client.query<{ enddate: string | null }>(`SELECT to_char(endDate, 'YYYY-MM-DD') AS enddate FROM roster WHERE rosterID = $1`, [r.rosterid]);
    await client.query('UPDATE roster SET endDate = $2 WHERE rosterID = $1', [r.rosterid, when]);
    await client.query('INSERT INTO roster (personID, sectionID, startDate, endDate) VALUES ($1, $2, $3, $4)', [
      r.personid,
      other.sectionid,
      when,
      old?.enddate ?? null,
    ]);
    scheduleChanges++;
  }

  // Grade postings: teachers enter progress grades for the current grading period.
  const posting = await probe<RosterRow>(client, rng, 'roster', 'rosterID', volume.gradePostings, `startDate <= $1 AND (endDate IS NULL OR endDate > $1)`, [
    when,
  ]);
  let gradePostings = 0;
  for (const r of posting) {
    const percent = Math.round(rng.around(84, 10, 45, 100));
    const inserted = await client.query(
      `INSERT INTO gradingscore (personID, sectionID, gradingPeriodID, gradeType, score, percent, date)
       SELECT $1, $2, gp.gradingPeriodID, 'GP', $3, $4, $5
         FROM sectionplacement sp JOIN term t ON t.termID = sp.termID
         JOIN gradingperiod gp ON gp.structureID = t.structureID AND $5 BETWEEN gp.startDate AND gp.endDate
        WHERE sp.sectionID = $2
          AND NOT EXISTS (SELECT 1 FROM gradingscore g WHERE g.personID = $1 AND g.sectionID = $2 AND g.gradingPeriodID = gp.gradingPeriodID AND g.gradeType = 'GP')
        LIMIT 1`,
      [r.personid, r.sectionid, percent >= 90 ? 'A' : percent >= 80 ? 'B' : percent >= 70 ? 'C' : 'F', percent, when],
    );
    gradePostings += inserted.rowCount ?? 0;
  }

  // Grade changes: a posted grade corrected.
  interface ScoreRow extends Q {
    scoreid: number;
    percent: string | null;
  }
  const corrections = await probe<ScoreRow>(client, rng, 'gradingscore', 'scoreID', volume.gradeChanges, 'percent IS NOT NULL', []);
  for (const s of corrections) {
    const percent = Math.max(0, Math.min(100, Number(s.percent) + rng.pick([-5, -3, 2, 3, 5])));
    await client.query('UPDATE gradingscore SET percent = $2, score = $3 WHERE scoreID = $1', [
      s.scoreid,
      percent,
      percent >= 90 ? 'A' : percent >= 80 ? 'B' : percent >= 70 ? 'C' : 'F',
    ]);
  }

  // Discipline incidents of the day.
  const offenders = await probe<EnrollmentRow>(client, rng, 'enrollment', 'enrollmentID', volume.disciplineIncidents, activeWhere, [when]);
  for (const e of offenders) {
    const code = rng.weighted([
      ['21', 75],
      ['41', 25],
    ]);
    const {
      rows: [incident],
    } = await client.query<{ incidentid: number }>(
      `INSERT INTO behaviorincident (schoolID, calendarID, date, time, title, location, description, reportedToPolice, reporterPersonID)
       SELECT c.schoolID, c.calendarID, $2, $3, $4, $5, 'Entered by campus administrator', false,
              (SELECT personID FROM staffschool WHERE schoolID = c.schoolID ORDER BY personID LIMIT 1)
         FROM calendar c WHERE c.calendarID = $1 RETURNING incidentID`,
      [
        e.calendarid,
        when,
        `${String(rng.int(8, 15)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00`,
        code === '41' ? 'Fight' : 'Conduct violation',
        rng.pick(['CL', 'HW', 'CAF', 'BUS']),
      ],
    );
    const {
      rows: [event],
    } = await client.query<{ eventid: number }>('INSERT INTO behaviorevent (incidentID, code) VALUES ($1, $2) RETURNING eventID', [incident.incidentid, code]);
    const {
      rows: [role],
    } = await client.query<{ roleid: number }>(`INSERT INTO behaviorrole (eventID, personID, role) VALUES ($1, $2, 'OFF') RETURNING roleID`, [
      event.eventid,
      e.personid,
    ]);
    const length = rng.int(1, 3);
    await client.query(
      `INSERT INTO behaviorresolution (roleID, code, startDate, endDate, lengthDays, actualLengthDays, lengthDifferenceReason, assignmentSchoolID)
       SELECT $1, $2, $3::date + 1, $3::date + $4::int, $4, $4, '00', schoolID FROM calendar WHERE calendarID = $5`,
      [role.roleid, rng.pick(['06', '05', 'DET']), when, length, e.calendarid],
    );
  }

  // Attendance of the day: about 6% of enrolled students absent or tardy (a deterministic draw per
  // student and day); secondary schools record an absence in each of the day's classes. Then
  // parents' notes excuse some unexcused absences of the last two weeks.
  const draw = rng.int(1, 1_000_000);
  const daily = await client.query(
    `INSERT INTO attendance (personID, schoolID, calendarID, date, code, minutes)
     SELECT e.personID, c.schoolID, e.calendarID, $1::date, CASE WHEN e.h < 18 THEN 'A' WHEN e.h < 35 THEN 'E' ELSE 'T' END, CASE WHEN e.h >= 35 THEN 5 + e.h % 20 END
       FROM (SELECT DISTINCT ON (personID) personID, calendarID, abs(hashtext(personID::text || '/' || $2::text)) % 1000 AS h
               FROM enrollment WHERE ${activeWhere.replaceAll('$1', '$1::date')} ORDER BY personID, startDate DESC) e
       JOIN calendar c ON c.calendarID = e.calendarID
      WHERE e.h < 60 AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.personID = e.personID AND a.date = $1::date)`,
    [when, draw],
  );
  const periods = await client.query(
    `INSERT INTO sectionattendance (personID, sectionID, date, code)
     SELECT a.personID, r.sectionID, a.date, a.code
       FROM attendance a
       JOIN school s ON s.schoolID = a.schoolID AND s.type <> 'E'
       JOIN roster r ON r.personID = a.personID AND r.startDate <= a.date AND (r.endDate IS NULL OR r.endDate >= a.date)
      WHERE a.date = $1::date AND a.code IN ('A', 'E')
        AND NOT EXISTS (SELECT 1 FROM sectionattendance x WHERE x.personID = a.personID AND x.sectionID = r.sectionID AND x.date = a.date)`,
    [when],
  );
  const excused = await client.query(
    `UPDATE attendance SET code = 'E' WHERE attendanceID IN (
       SELECT attendanceID FROM attendance WHERE code = 'A' AND date < $1::date AND date >= $1::date - 14
        ORDER BY abs(hashtext(attendanceID::text || '/' || $2::text)) LIMIT $3)`,
    [when, draw, Math.max(1, Math.round(active * 0.002))],
  );

  // State unique ids arrive for some students who had none.
  const missing = (await client.query<{ personid: number }>('SELECT personID FROM student WHERE stateID IS NULL ORDER BY personID')).rows;
  const assign = rng.sample(missing, Math.ceil(missing.length * 0.2));
  for (const s of assign)
    await client.query('UPDATE student SET stateID = $2 WHERE personID = $1', [s.personid, `${rng.int(1, 9)}${String(s.personid).padStart(9, '0')}`]);

  // Families move.
  interface StudentRow extends Q {
    personid: number;
  }
  const movers = await probe<StudentRow>(client, rng, 'student', 'personID', volume.addressChanges, 'true', []);
  for (const s of movers)
    await client.query('UPDATE student SET address = $2, zip = $3 WHERE personID = $1', [
      s.personid,
      `${rng.int(100, 9999)} ${rng.pick(STREETS)} ${rng.pick(STREET_KINDS)}`,
      `7${rng.int(5000, 9999)}`,
    ]);

  const {
    rows: [events],
  } = await client.query<{ n: string }>('SELECT count(*) AS n FROM event_queue WHERE eventID > $1', [lastEvent?.id ?? 0]);
  const summary: MutationSummary = {
    day: options.day,
    date: when,
    newEnrollments: templates.length,
    newContacts,
    withdrawals: leaving.length,
    scheduleChanges,
    gradePostings,
    gradeChanges: corrections.length,
    disciplineIncidents: offenders.length,
    uniqueIdsAssigned: assign.length,
    addressChanges: movers.length,
    attendanceEvents: (daily.rowCount ?? 0) + (periods.rowCount ?? 0),
    absencesExcused: excused.rowCount ?? 0,
    plannedChanges: planned,
    events: Number(events.n),
  };
  await client.query('INSERT INTO sis_mutation (day, seed, date, summary) VALUES ($1, $2, $3, $4)', [options.day, seed, when, JSON.stringify(summary)]);
  return summary;
}

async function addContact(
  client: pg.ClientBase,
  rng: Random,
  studentID: number,
  lastName: string,
  relation: string,
  priority: number,
  addr: { address: string; zip: string } | null,
): Promise<void> {
  const female = ['MOT', 'GRM', 'AUN'].includes(relation);
  const {
    rows: [contact],
  } = await client.query<{ personid: number }>(
    `INSERT INTO contact (personID, lastName, firstName, gender, address, state, zip, phone)
     SELECT greatest((SELECT max(personID) FROM student), (SELECT max(personID) FROM contact), (SELECT max(personID) FROM staff)) + 1, $1, $2, $3, $4, 'TX', $5, $6
     RETURNING personID`,
    [
      lastName,
      rng.pick(female ? FEMALE_NAMES : MALE_NAMES),
      female ? 'F' : 'M',
      addr?.address ?? null,
      addr?.zip ?? null,
      `972-555-${String(rng.int(0, 9999)).padStart(4, '0')}`,
    ],
  );
  await client.query('INSERT INTO relatedpair (personID1, personID2, name, guardian, livesWith, emergencyPriority) VALUES ($1, $2, $3, $4, $5, $6)', [
    studentID,
    contact.personid,
    relation,
    priority === 1,
    addr !== null,
    priority,
  ]);
}

/** The dirty situations that only make sense after a first publish. */
async function applyPlanned(client: pg.ClientBase, change: PlannedChange): Promise<void> {
  if (change.kind === 'school-number-change') {
    await client.query('UPDATE school SET number = $2, stateSchoolNumber = $3 WHERE schoolID = $1', [
      change.schoolID,
      change.toNumber,
      change.toStateSchoolNumber,
    ]);
    return;
  }
  // A second schedule structure: its own terms and calendar days, copied from the primary one.
  const {
    rows: [primary],
  } = await client.query<{ structureid: number }>(
    'SELECT structureID FROM schedulestructure WHERE calendarID = $1 ORDER BY isPrimary DESC, structureID LIMIT 1',
    [change.calendarID],
  );
  const {
    rows: [added],
  } = await client.query<{ structureid: number }>(
    `INSERT INTO schedulestructure (calendarID, name, label, isPrimary) VALUES ($1, $2, 'B', false) RETURNING structureID`,
    [change.calendarID, change.structureName],
  );
  if (primary === undefined) return;
  await client.query(
    `INSERT INTO term (structureID, name, seq, termType, startDate, endDate) SELECT $2, name, seq, termType, startDate, endDate FROM term WHERE structureID = $1 ORDER BY termID`,
    [primary.structureid, added.structureid],
  );
  await client.query(
    `INSERT INTO day (calendarID, structureID, date, instruction, attendance, eventCode, comments)
     SELECT calendarID, $2, date, instruction, attendance, eventCode, comments FROM day WHERE structureID = $1 ORDER BY dayID`,
    [primary.structureid, added.structureid],
  );
}
