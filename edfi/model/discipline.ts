/**
 * Discipline and restraint (edfi-ds4-resources.md section 3, "Discipline & restraint"). Left out
 * because the target is not modelled (deprecated, gone in DS 5): disciplineActions.studentDisciplineIncidentAssociations[].
 */
import { bool, c, d, date, dec, money, r, resource, s, str, time } from './dsl.js';

export const discipline = [
  resource('DisciplineIncident', [
    s('incidentIdentifier*', str(20)),
    r('school*'),
    r('staff'),
    d('incidentLocation'),
    d('reporterDescription'),
    s('incidentDate!', date),
    s('caseNumber', str(20)),
    s('incidentCost', money),
    s('incidentDescription', str(1024)),
    s('incidentTime', time),
    s('reportedToLawEnforcement', bool),
    s('reporterName', str(75)),
    c('behaviors', d('behavior*'), s('behaviorDetailedDescription', str(1024))),
    c('externalParticipants', d('disciplineIncidentParticipationCode*'), s('firstName*', str(75)), s('lastSurname*', str(75))),
    c('weapons', d('weapon*')),
  ]),

  resource('StudentDisciplineIncidentBehaviorAssociation', [
    d('behavior*'),
    r('disciplineIncident*'),
    r('student*'),
    s('behaviorDetailedDescription', str(1024)),
    c('disciplineIncidentParticipationCodes', d('disciplineIncidentParticipationCode*')),
  ]),

  resource('DisciplineAction', [
    s('disciplineActionIdentifier*', str(32)),
    s('disciplineDate*', date),
    r('student*'),
    r('assignmentSchool', 'schools'),
    r('responsibilitySchool!', 'schools'),
    d('disciplineActionLengthDifferenceReason'),
    s('actualDisciplineActionLength', dec(5, 2)),
    s('disciplineActionLength', dec(5, 2)),
    s('iepPlacementMeetingIndicator', bool),
    s('receivedEducationServicesDuringExpulsion', bool),
    s('relatedToZeroTolerancePolicy', bool),
    c('disciplines!', d('discipline*')),
    c('staffs', r('staff*')),
    c('studentDisciplineIncidentBehaviorAssociations', r('studentDisciplineIncidentBehaviorAssociation*')),
  ]),

  resource('RestraintEvent', [
    s('restraintEventIdentifier*', str(20)),
    r('school*'),
    r('student*'),
    d('educationalEnvironment'),
    s('eventDate!', date),
    c('programs', r('program*')),
    c('reasons', d('restraintEventReason*')),
  ]),
];
