/** Every resource mapper, by resource path. */
import type { ResourceMapper } from './mapper.js';
import { catalogName } from '../publishing/resourceNames.js';
import { calendars } from './calendars.js';
import { calendarDates } from './calendarDates.js';
import { localEducationAgencies } from './localEducationAgencies.js';
import { schools } from './schools.js';
import { courses } from './courses.js';
import { locations } from './locations.js';
import { classPeriods } from './classPeriods.js';
import { gradingPeriods, sessions } from './sessions.js';
import { courseOfferings, sections } from './schedules.js';
import { programs } from './programs.js';
import { bellSchedules } from './bellSchedules.js';
import { students } from './students.js';
import { studentApplications } from './studentApplications.js';
import { studentSchoolAssociations } from './studentSchoolAssociations.js';
import { studentEducationOrganizationAssociations } from './studentEducationOrganizationAssociations.js';
import { contacts, parents, studentContactAssociations, studentParentAssociations } from './parents.js';
import { studentSectionAssociations } from './studentSectionAssociations.js';
import { priorYearLeaverParents, priorYearLeavers, priorYearLeaverStudentParentAssociations } from './priorYearLeavers.js';
import { studentEducationOrganizationResponsibilityAssociations } from './studentEducationOrganizationResponsibilityAssociations.js';
import { staffs } from './staffs.js';
import { staffEducationOrganizationEmploymentAssociations } from './staffEducationOrganizationEmploymentAssociations.js';
import { staffEducationOrganizationAssignmentAssociations } from './staffEducationOrganizationAssignmentAssociations.js';
import { staffSchoolAssociations } from './staffSchoolAssociations.js';
import { staffSectionAssociations } from './staffSectionAssociations.js';
import { contractedInstructionalStaffFTEExts } from './contractedInstructionalStaffFTEExts.js';
import { budgetExts } from './budgetExts.js';
import { actualExts, priorYearActualExts } from './actualExts.js';
import { payrollExts } from './payrollExts.js';
import { ssaOrgAssociationExts } from './ssaOrgAssociationExts.js';
import { studentCTEProgramAssociations } from './studentCTEProgramAssociations.js';
import { studentLanguageInstructionProgramAssociations } from './studentLanguageInstructionProgramAssociations.js';
import { studentSpecialEducationProgramAssociations } from './studentSpecialEducationProgramAssociations.js';
import { studentSpecialEducationProgramEligibilityAssociations } from './studentSpecialEducationProgramEligibilityAssociations.js';
import { studentTitleIPartAProgramAssociations } from './studentTitleIPartAProgramAssociations.js';
import { restraintEvents } from './restraintEvents.js';
import { disciplineIncidents } from './disciplineIncidents.js';
import { studentDisciplineIncidentBehaviorAssociations } from './studentDisciplineIncidentBehaviorAssociations.js';
import { disciplineActions } from './disciplineActions.js';
import { cohorts } from './cohorts.js';
import { grades } from './grades.js';
import { studentSchoolAttendanceEvents } from './studentSchoolAttendanceEvents.js';
import { studentSectionAttendanceEvents } from './studentSectionAttendanceEvents.js';
import { studentAcademicRecords } from './studentAcademicRecords.js';
import { courseTranscripts } from './courseTranscripts.js';
import { studentCohortAssociations } from './studentCohortAssociations.js';
import { staffCohortAssociations } from './staffCohortAssociations.js';

export const MAPPERS: ReadonlyMap<string, ResourceMapper> = new Map(
  [
    localEducationAgencies,
    schools,
    courses,
    locations,
    classPeriods,
    calendars,
    calendarDates,
    gradingPeriods,
    sessions,
    courseOfferings,
    sections,
    programs,
    bellSchedules,
    students,
    studentApplications,
    studentSchoolAssociations,
    studentEducationOrganizationAssociations,
    studentEducationOrganizationResponsibilityAssociations,
    parents,
    contacts,
    studentParentAssociations,
    studentContactAssociations,
    studentSectionAssociations,
    priorYearLeavers,
    priorYearLeaverParents,
    priorYearLeaverStudentParentAssociations,
    ssaOrgAssociationExts,
    staffs,
    staffEducationOrganizationEmploymentAssociations,
    staffEducationOrganizationAssignmentAssociations,
    staffSchoolAssociations,
    staffSectionAssociations,
    contractedInstructionalStaffFTEExts,
    budgetExts,
    actualExts,
    priorYearActualExts,
    payrollExts,
    studentCTEProgramAssociations,
    studentLanguageInstructionProgramAssociations,
    studentSpecialEducationProgramAssociations,
    studentSpecialEducationProgramEligibilityAssociations,
    studentTitleIPartAProgramAssociations,
    restraintEvents,
    cohorts,
    studentCohortAssociations,
    staffCohortAssociations,
    disciplineIncidents,
    studentDisciplineIncidentBehaviorAssociations,
    disciplineActions,
    studentSchoolAttendanceEvents,
    studentSectionAttendanceEvents,
    grades,
    studentAcademicRecords,
    courseTranscripts,
  ].map((m) => [m.resource, m]),
);

export function mapperFor(resource: string): ResourceMapper | undefined {
  return MAPPERS.get(resource);
}

const BY_CATALOG_NAME: ReadonlyMap<string, ResourceMapper> = new Map([...MAPPERS.values()].map((m) => [catalogName(m.resource), m]));

/** The mapper of a catalog (dashboard) name, e.g. `calendars`. */
export function mapperNamed(name: string): ResourceMapper | undefined {
  return BY_CATALOG_NAME.get(name);
}

/** Entities of the dashboard this product does not send, and why (shown as "skipped" on a category run). */
export const NOT_SENT: ReadonlyMap<string, string> = new Map([
  ['graduationPlans', 'Graduation Plan is not fully implemented (the guide: not collected by TEA) — the SIS replica holds no graduation plans to send'],
]);
