import { describe, expect, it } from 'vitest';
import { edfiModel } from './model/index.js';
import { establishesRelationships, personOf, refusedFor, relationshipsEstablished } from './relationships.js';

const ds4 = edfiModel({ dataStandard: '4.0', teds: '2025.2.1' });
const ds5 = edfiModel({ dataStandard: '5.x' });

describe('relationship-based authorization, as a publisher meets it', () => {
  it('finds the person a record is about: a person resource by its own id, others by their reference (student first)', () => {
    expect(personOf({ studentUniqueId: 'A1' })).toEqual({ kind: 'student', uniqueId: 'A1' });
    expect(personOf({ parentUniqueId: 'P1' })).toEqual({ kind: 'contact', uniqueId: 'P1' });
    expect(personOf({ studentReference: { studentUniqueId: 'A1' }, parentReference: { parentUniqueId: 'P1' } })).toEqual({ kind: 'student', uniqueId: 'A1' });
    expect(personOf({ staffReference: { staffUniqueId: 'T1' }, sectionReference: {} })).toEqual({ kind: 'staff', uniqueId: 'T1' });
    expect(personOf({ calendarCode: '1' })).toBeUndefined();
  });

  it('keys the wait by person, ignoring case as the ODS does', () => {
    expect(refusedFor({ studentUniqueId: 'Ab1' })).toBe(refusedFor({ studentReference: { studentUniqueId: 'aB1' } }));
  });

  it('knows which associations claim a person: enrollments and responsibility for students, employment and assignment for staff, the student–contact association for contacts', () => {
    const establishing = (m: typeof ds4) =>
      [...m.resources.values()]
        .filter((r) => establishesRelationships(r))
        .map((r) => r.name)
        .sort();
    expect(establishing(ds4)).toEqual([
      'staffEducationOrganizationAssignmentAssociations',
      'staffEducationOrganizationEmploymentAssociations',
      'studentEducationOrganizationResponsibilityAssociations',
      'studentParentAssociations',
      'studentSchoolAssociations',
    ]);
    expect(establishing(ds5)).toContain('studentContactAssociations');
  });

  it('a student–contact association claims the contact; an enrollment claims the student', () => {
    const spa = ds4.resource('ed-fi/studentParentAssociations')!;
    expect(relationshipsEstablished(spa, { studentReference: { studentUniqueId: 'A1' }, parentReference: { parentUniqueId: 'P1' } })).toEqual([
      'relationship|contact|p1',
    ]);
    const ssa = ds4.resource('ed-fi/studentSchoolAssociations')!;
    expect(relationshipsEstablished(ssa, { studentReference: { studentUniqueId: 'A1' } })).toEqual(['relationship|student|a1']);
    expect(relationshipsEstablished(ds4.resource('ed-fi/calendars')!, { calendarCode: '1' })).toEqual([]);
  });
});
