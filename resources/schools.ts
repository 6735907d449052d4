/**
 * `schools`: each campus not excluded, identified by its Ed-Fi school number (or the state school
 * number; letters there are caught before sending with the guide's message), with the grade levels
 * its calendars of the year offer (through the Grade Levels mapping; unmapped ones go out as local
 * descriptors) and its category from the school type's state value.
 */
import type { EdfiDocument, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { edfiSchoolId } from './schoolId.js';
import { readWholeOnAnyChange } from '../publishing/changeSet.js';

interface Row {
  schoolId: number;
  name: string;
  edFiSchoolNumber: number | null;
  stateSchoolNumber: string | null;
  leaNumber: string;
  schoolCategory: string | null;
  grades: string[];
}

export const SCHOOL_WITHOUT_GRADES =
  'Grade Levels: the school offers no grade level on its calendars for this school year (Ed-Fi requires at least one). Add grade levels to its calendar.';

export const SCHOOLS_SQL = `
  SELECT s.schoolID AS "schoolId", s.name, s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber",
         d.number AS "leaNumber", lc.stateCode AS "schoolCategory",
         ARRAY(SELECT DISTINCT g.name FROM gradelevel g JOIN calendar c ON c.calendarID = g.calendarID
                WHERE c.schoolID = s.schoolID AND c.endYear = $1 AND NOT c.exclude ORDER BY g.name) AS grades
    FROM school s
    JOIN district d ON d.districtID = s.districtID
    LEFT JOIN localcode lc ON lc.category = 'schoolType' AND lc.schoolID IS NULL AND lc.code = s.type
   WHERE NOT s.exclude
     AND ($2::int IS NULL OR s.schoolID = $2)
     AND ($3::text[] IS NULL OR s.schoolID = ANY(${KEY_IDS}))
   ORDER BY s.schoolID`;

export function schoolRecord(row: Row, ctx: PublishContext): MappedRecord {
  const id = edfiSchoolId(row);
  const doc: EdfiDocument = {
    schoolId: 'id' in id ? id.id : null,
    nameOfInstitution: row.name,
    educationOrganizationCategories: [{ educationOrganizationCategoryDescriptor: 'uri://ed-fi.org/EducationOrganizationCategoryDescriptor#School' }],
    gradeLevels: row.grades.flatMap((g) => {
      const uri = ctx.descriptors.uri('grade-levels', g, row.schoolId);
      return uri === undefined ? [] : [{ gradeLevelDescriptor: uri }];
    }),
    localEducationAgencyReference: { localEducationAgencyId: Number(row.leaNumber) },
  };
  if (row.schoolCategory !== null) doc.schoolCategories = [{ schoolCategoryDescriptor: `uri://ed-fi.org/SchoolCategoryDescriptor#${row.schoolCategory}` }];
  // Its name and state number in lists and root causes ("Adams High School (255901001)"), even unsent.
  const display = { schoolName: row.name, number: row.edFiSchoolNumber ?? row.stateSchoolNumber ?? null };
  const base = { sourceKey: String(row.schoolId), schoolId: row.schoolId, doc, display };
  if ('error' in id) return { ...base, error: id.error };
  if (row.grades.length === 0) return { ...base, dependency: SCHOOL_WITHOUT_GRADES };
  return base;
}

export const schools = sqlMapper<Row>({
  resource: 'ed-fi/schools',
  sql: SCHOOLS_SQL,
  codeSets: ['grade-levels'],
  revision: 1,
  changes: readWholeOnAnyChange(['calendar', 'district', 'gradelevel', 'localcode', 'school']),
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  listColumns: [
    { id: 'schoolName', label: 'Name' },
    { id: 'number', label: 'School ID' },
  ],
  record: schoolRecord,
});
