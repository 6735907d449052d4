/** `locations`: the rooms of each campus not excluded (the room number is the classroom code). */
import type { MappedRecord } from './mapper.js';
import { sqlMapper } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';

interface Row extends SchoolNumbers {
  roomId: number;
  schoolId: number;
  name: string;
  maxStudents: number | null;
}

export const LOCATIONS_SQL = `
  SELECT r.roomID AS "roomId", r.schoolID AS "schoolId", r.name, r.maxStudents AS "maxStudents",
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM room r JOIN school s ON s.schoolID = r.schoolID
   WHERE NOT s.exclude AND ($1::int IS NULL OR r.schoolID = $1) AND ($2::text[] IS NULL OR r.roomID::text = ANY($2))
   ORDER BY r.roomID`;

export function locationRecord(row: Row): MappedRecord {
  const school = edfiSchoolId(row);
  const doc = {
    classroomIdentificationCode: row.name,
    schoolReference: { schoolId: 'id' in school ? school.id : null },
    ...(row.maxStudents !== null ? { maximumNumberOfSeats: row.maxStudents } : {}),
  };
  const base = { sourceKey: String(row.roomId), schoolId: row.schoolId, doc };
  return 'error' in school ? { ...base, error: school.error } : base;
}

export const locations = sqlMapper<Row>({
  resource: 'ed-fi/locations',
  sql: LOCATIONS_SQL,
  codeSets: [],
  revision: 1,
  changes: {
    objectOfKey: 'whole',
    tables: {
      room: 'key',
      // Its numbers and whether it is excluded: a school's name or address is no change to its rooms.
      school: { sql: 'SELECT roomID::text AS object FROM room WHERE schoolID::text = ANY($1)', reads: ['edFiSchoolNumber', 'stateSchoolNumber', 'exclude'] },
    },
  },
  params: ['schoolId', 'sourceKeys'],
  record: locationRecord,
});
