/** Cohorts (edfi-ds4-resources.md section 3, "Cohorts"). */
import { EDORG, bool, c, d, date, r, resource, s, str } from './dsl.js';

export const cohorts = [
  resource('Cohort', [
    s('cohortIdentifier*', str(20)),
    r('educationOrganization*', EDORG),
    d('academicSubject'),
    d('cohortScope'),
    d('cohortType!'),
    s('cohortDescription', str(1024)),
    c('programs', r('program*')),
  ]),

  resource('StudentCohortAssociation', [s('beginDate*', date), r('cohort*'), r('student*'), s('endDate', date), c('sections', r('section*'))]),

  resource('StaffCohortAssociation', [s('beginDate*', date), r('cohort*'), r('staff*'), s('endDate', date), s('studentRecordAccess', bool)]),
];
