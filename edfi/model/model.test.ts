import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildModel } from './build.js';
import { definitionsFor, edfiModel, targetPathIn, type ModelOptions, type ReferenceProperty, type ResourceModel } from './index.js';
import { allProperties, allReferences, consistencyProblems } from './testing.js';

const DS4 = edfiModel({ dataStandard: '4.0' });

/** Section 3 of edfi-ds4-resources.md, transcribed. */
const SECTION_3 = [
  'schoolYearTypes',
  'localEducationAgencies',
  'schools',
  'courses',
  'programs',
  'locations',
  'classPeriods',
  'graduationPlans',
  'calendars',
  'calendarDates',
  'gradingPeriods',
  'sessions',
  'courseOfferings',
  'sections',
  'bellSchedules',
  'students',
  'studentSchoolAssociations',
  'studentEducationOrganizationAssociations',
  'studentEducationOrganizationResponsibilityAssociations',
  'parents',
  'studentParentAssociations',
  'studentSectionAssociations',
  'staffs',
  'staffEducationOrganizationEmploymentAssociations',
  'staffEducationOrganizationAssignmentAssociations',
  'staffSchoolAssociations',
  'staffSectionAssociations',
  'studentCTEProgramAssociations',
  'studentLanguageInstructionProgramAssociations',
  'studentSpecialEducationProgramAssociations',
  'studentTitleIPartAProgramAssociations',
  'cohorts',
  'studentCohortAssociations',
  'staffCohortAssociations',
  'grades',
  'studentAcademicRecords',
  'courseTranscripts',
  'disciplineIncidents',
  'studentDisciplineIncidentBehaviorAssociations',
  'disciplineActions',
  'restraintEvents',
];

/** Section 5, transcribed (22 needed by identity/required fields + 107 optional). */
const SECTION_5 = `behavior calendarEvent calendarType classroomPosition cohortType courseAttemptResult courseIdentificationSystem
  discipline educationOrganizationCategory employmentStatus gradeLevel gradeType gradingPeriod graduationPlanType
  localEducationAgencyCategory programAssignment programType responsibility sex staffClassification term titleIPartAParticipant
  academicHonorCategory academicSubject achievementCategory additionalCreditType addressType administrativeFundingControl
  ancestryEthnicOrigin assessmentReportingMethod attemptStatus barrierToInternetAccessInResidence careerPathway
  charterApprovalAgencyType charterStatus citizenshipStatus cohortScope cohortYearType competencyLevel country courseDefinedBy
  courseGPAApplicability courseLevelCharacteristic courseRepeatCode creditCategory creditType cteProgramService curriculumUsed
  diplomaLevel diplomaType disability disabilityDesignation disabilityDeterminationSourceType disciplineActionLengthDifferenceReason
  disciplineIncidentParticipationCode educationOrganizationIdentificationSystem educationPlan educationalEnvironment
  electronicMailType entryGradeLevelReason entryType exitWithdrawType gradePointAverageType gunFreeSchoolsActReportingStatus
  identificationDocumentUse incidentLocation indicator indicatorGroup indicatorLevel institutionTelephoneNumberType internetAccess
  internetAccessTypeInResidence internetPerformanceInResidence language languageInstructionProgramService languageUse
  levelOfEducation limitedEnglishProficiency locale magnetSpecialProgramEmphasisSchool mediumOfInstruction methodCreditEarned
  monitored oldEthnicity operationalStatus otherNameType participation participationStatus performanceBaseConversion
  performanceLevel personalInformationVerification populationServed primaryLearningDeviceAccess primaryLearningDeviceAwayFromSchool
  primaryLearningDeviceProvider proficiency programCharacteristic programSponsor progress race reasonExited recognitionType relation
  repeatIdentifier reporterDescription residencyStatus restraintEventReason resultDatatypeType schoolCategory
  schoolChoiceImplementStatus schoolType sectionCharacteristic separation separationReason service sourceSystem
  specialEducationProgramService specialEducationSetting staffIdentificationSystem stateAbbreviation studentCharacteristic
  studentIdentificationSystem technicalSkillsAssessment telephoneNumberType titleIPartAProgramService titleIPartASchoolDesignation
  tribalAffiliation visa weapon`
  .split(/\s+/)
  .map((n) => `${n}Descriptors`);

const ALL_OPTIONS: ModelOptions[] = [
  { dataStandard: '4.0' },
  { dataStandard: '5.x' },
  { dataStandard: '4.0', teds: '2024.2.1' },
  { dataStandard: '4.0', teds: '2025.2.1' },
  { dataStandard: '4.0', teds: '2026.2.1' },
  { dataStandard: '5.x', teds: '2026.2.1' },
];

function get(path: string, model = DS4): ResourceModel {
  const r = model.resource(path);
  if (!r) throw new Error(`${path} missing`);
  return r;
}

function reference(r: ResourceModel, name: string): ReferenceProperty {
  const p = r.properties.find((x) => x.name === name);
  if (p?.kind !== 'reference') throw new Error(`${r.path}.${name} is not a reference`);
  return p;
}

describe('DS 4.0 resources', () => {
  it('has every resource of section 3 and every descriptor of section 5', () => {
    expect(SECTION_3).toHaveLength(41);
    expect(SECTION_5).toHaveLength(129);
    for (const name of SECTION_3) expect(DS4.resources.get(`ed-fi/${name}`)?.isDescriptor, name).toBe(false);
    for (const name of SECTION_5) expect(DS4.resources.get(`ed-fi/${name}`)?.isDescriptor, name).toBe(true);
  });

  it('models schoolYearTypes as the brief fixes it', () => {
    const syt = get('ed-fi/schoolYearTypes');
    expect(syt.identity).toEqual([['schoolYear']]);
    expect(syt.properties).toEqual([
      { kind: 'scalar', name: 'schoolYear', identity: true, required: true, type: { kind: 'integer' } },
      { kind: 'scalar', name: 'currentSchoolYear', identity: false, required: true, type: { kind: 'boolean' } },
      { kind: 'scalar', name: 'schoolYearDescription', identity: false, required: true, type: { kind: 'string', maxLength: 50 } },
    ]);
  });

  it('gives every descriptor the same body, keyed by namespace and codeValue', () => {
    const grade = get('ed-fi/gradeLevelDescriptors');
    expect(grade.identity).toEqual([['namespace'], ['codeValue']]);
    const shape = grade.properties.map((p) => [p.name, p.required, p.kind === 'scalar' ? p.type : null]);
    expect(shape).toEqual([
      ['namespace', true, { kind: 'string', maxLength: 255 }],
      ['codeValue', true, { kind: 'string', maxLength: 50 }],
      ['shortDescription', true, { kind: 'string', maxLength: 75 }],
      ['description', false, { kind: 'string', maxLength: 1024 }],
      ['effectiveBeginDate', false, { kind: 'date' }],
      ['effectiveEndDate', false, { kind: 'date' }],
    ]);
    for (const r of DS4.resources.values()) if (r.isDescriptor) expect(r.properties).toEqual(grade.properties);
  });

  it('has the identities the doc lists', () => {
    const ssaRef = ['localCourseCode', 'schoolId', 'schoolYear', 'sectionIdentifier', 'sessionName'];
    const expected: Record<string, string[][]> = {
      studentSchoolAssociations: [['entryDate'], ['schoolReference', 'schoolId'], ['studentReference', 'studentUniqueId']],
      sections: [['sectionIdentifier'], ...['localCourseCode', 'schoolId', 'schoolYear', 'sessionName'].map((f) => ['courseOfferingReference', f])],
      grades: [
        ['gradeTypeDescriptor'],
        ...['gradingPeriodDescriptor', 'periodSequence', 'schoolId', 'schoolYear'].map((f) => ['gradingPeriodReference', f]),
        ...['beginDate', ...ssaRef, 'studentUniqueId'].sort().map((f) => ['studentSectionAssociationReference', f]),
      ],
      calendarDates: [['date'], ['calendarReference', 'calendarCode'], ['calendarReference', 'schoolId'], ['calendarReference', 'schoolYear']],
      studentSectionAssociations: [['beginDate'], ...ssaRef.map((f) => ['sectionReference', f]), ['studentReference', 'studentUniqueId']],
      courseOfferings: [
        ['localCourseCode'],
        ['schoolReference', 'schoolId'],
        ['sessionReference', 'schoolId'],
        ['sessionReference', 'schoolYear'],
        ['sessionReference', 'sessionName'],
      ],
      gradingPeriods: [['gradingPeriodDescriptor'], ['periodSequence'], ['schoolReference', 'schoolId'], ['schoolYearTypeReference', 'schoolYear']],
      staffSectionAssociations: [...ssaRef.map((f) => ['sectionReference', f]), ['staffReference', 'staffUniqueId']],
    };
    for (const [name, identity] of Object.entries(expected)) expect(get(`ed-fi/${name}`).identity, name).toEqual(identity);
  });

  it('flattens nested identities into references and keeps role-named key columns', () => {
    const grade = get('ed-fi/grades');
    const section = reference(grade, 'studentSectionAssociationReference').fields.find((f) => f.name === 'localCourseCode');
    expect(section?.targetPath).toEqual(['sectionReference', 'localCourseCode']);
    const sectionRef = reference(get('ed-fi/studentSectionAssociations'), 'sectionReference');
    expect(sectionRef.fields.map((f) => [f.name, f.targetPath])).toEqual([
      ['localCourseCode', ['courseOfferingReference', 'localCourseCode']],
      ['schoolId', ['courseOfferingReference', 'schoolId']],
      ['schoolYear', ['courseOfferingReference', 'schoolYear']],
      ['sectionIdentifier', ['sectionIdentifier']],
      ['sessionName', ['courseOfferingReference', 'sessionName']],
    ]);
    const plan = reference(get('ed-fi/studentSchoolAssociations'), 'graduationPlanReference');
    expect(plan.fields.map((f) => [f.name, f.targetPath])).toEqual([
      ['educationOrganizationId', ['educationOrganizationReference', 'educationOrganizationId']],
      ['graduationPlanTypeDescriptor', ['graduationPlanTypeDescriptor']],
      ['graduationSchoolYear', ['graduationSchoolYearTypeReference', 'schoolYear']],
    ]);
    expect(plan.fields[1]?.type).toEqual({ kind: 'descriptor', descriptor: 'ed-fi/graduationPlanTypeDescriptors' });
    // A role name on the reference itself is not applied inside it.
    const classOf = reference(get('ed-fi/studentSchoolAssociations'), 'classOfSchoolYearTypeReference');
    expect(classOf.targets).toEqual(['ed-fi/schoolYearTypes']);
    expect(classOf.fields.map((f) => f.name)).toEqual(['schoolYear']);
  });

  it('resolves abstract education organization references per target', () => {
    const edOrg = reference(get('ed-fi/courses'), 'educationOrganizationReference');
    expect(edOrg.targets).toEqual(expect.arrayContaining(['ed-fi/schools', 'ed-fi/localEducationAgencies', 'ed-fi/stateEducationAgencies']));
    const [field] = edOrg.fields;
    expect(field?.name).toBe('educationOrganizationId');
    expect(field && targetPathIn(field, 'ed-fi/schools')).toEqual(['schoolId']);
    expect(field && targetPathIn(field, 'ed-fi/localEducationAgencies')).toEqual(['localEducationAgencyId']);
  });

  it('marks people, identity-updatable resources and key unification', () => {
    expect(get('ed-fi/students').person).toBe('student');
    expect(get('ed-fi/staffs').person).toBe('staff');
    expect(get('ed-fi/parents').person).toBe('contact');
    expect(
      [...DS4.resources.values()]
        .filter((r) => r.person)
        .map((r) => r.name)
        .sort(),
    ).toEqual(['parents', 'staffs', 'students']);
    const updatable = [...DS4.resources.values()]
      .filter((r) => r.allowsIdentityUpdate)
      .map((r) => r.name)
      .sort();
    expect(updatable).toEqual(['classPeriods', 'grades', 'locations', 'sections', 'sessions', 'studentSchoolAssociations', 'studentSectionAssociations']);
    expect(get('ed-fi/studentSchoolAssociations').mustMatch).toEqual([
      { left: ['calendarReference', 'schoolId'], right: ['schoolReference', 'schoolId'] },
      { left: ['calendarReference', 'schoolYear'], right: ['schoolYearTypeReference', 'schoolYear'] },
    ]);
  });

  it('keeps required collections, embedded objects and types', () => {
    const school = get('ed-fi/schools');
    const grades = school.properties.find((p) => p.name === 'gradeLevels');
    expect(grades).toMatchObject({ kind: 'collection', required: true });
    expect(get('ed-fi/localEducationAgencies').properties.find((p) => p.name === 'categories')).toMatchObject({ required: true });
    const ranking = get('ed-fi/studentAcademicRecords').properties.find((p) => p.name === 'classRanking');
    expect(ranking?.kind).toBe('object');
    const entry = get('ed-fi/studentSchoolAssociations').properties.find((p) => p.name === 'entryGradeLevelDescriptor');
    expect(entry).toEqual({
      kind: 'descriptor',
      name: 'entryGradeLevelDescriptor',
      identity: false,
      required: true,
      descriptor: 'ed-fi/gradeLevelDescriptors',
    });
    const plan = get('ed-fi/graduationPlans').properties.find((p) => p.name === 'totalRequiredCredits');
    expect(plan).toMatchObject({ required: true, type: { kind: 'number', precision: 9, scale: 3 } });
  });

  it('looks resources up ignoring case and slashes', () => {
    expect(DS4.resource('ED-FI/Students')?.path).toBe('ed-fi/students');
    expect(DS4.resource('/ed-fi/studentSchoolAssociations/')?.name).toBe('studentSchoolAssociations');
    expect(DS4.resource('ed-fi/nothing')).toBeUndefined();
  });
});

describe.each(ALL_OPTIONS)('model %o', (options) => {
  const model = edfiModel(options);

  it('is structurally consistent: reference fields land on every target identity, descriptors exist', () => {
    expect(consistencyProblems(model)).toEqual([]);
  });

  it('is memoised and builds fast', () => {
    expect(edfiModel({ ...options })).toBe(model);
    expect(model.options).toEqual(options);
    const started = performance.now();
    const fresh = buildModel(options, definitionsFor(options));
    expect(performance.now() - started).toBeLessThan(100);
    expect([...fresh.resources.keys()]).toEqual([...model.resources.keys()]);
    expect(fresh.dependencies).toEqual(model.dependencies);
  });

  it('keys every collection item, at any depth', () => {
    const keyless = [...model.resources.values()]
      .flatMap((r) => allProperties(r))
      .filter(({ property: p }) => p.kind === 'collection' && !p.item.properties.some((x) => x.identity))
      .map(({ at }) => at);
    // TEDS 2024.2.1 declares these as arrays without a key (2025.2.1 made most of them single objects):
    // with no key every item collides, so at most one item is accepted.
    const declaredKeyless =
      options.teds === '2024.2.1'
        ? [
            'ed-fi/schools._ext.TX.charterWaitlistSets',
            'ed-fi/staffs._ext.TX.paraprofessionalCertificationSets',
            'tx/priorYearLeaverParents.addresses',
            'tx/priorYearLeaverParents.electronicMails',
            'tx/priorYearLeaverParents.telephones',
            'tx/priorYearLeavers.addresses',
            'tx/priorYearLeavers.graduationSets',
          ]
        : [];
    expect(keyless.sort()).toEqual(declaredKeyless);
  });
});

// Checks every resource against the doc itself when the shared reference folder is present.
const DOC = new URL('../../../shared/reference/edfi-ds4-resources.md', import.meta.url);
describe.skipIf(!existsSync(DOC))('against edfi-ds4-resources.md', () => {
  const text = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
  const section3 = text.split('## 3. Resources')[1]?.split('## 4.')[0] ?? '';
  const blocks = section3
    .split('\n#### ')
    .slice(1)
    .map((b) => {
      const name = /^`(\w+)`/.exec(b)?.[1] ?? '';
      const line = (label: string): string =>
        b
          .split('\n')
          .find((l) => l.startsWith(`- **${label}:**`))
          ?.split(':**')[1]
          ?.trim() ?? '';
      return { name, line, body: b };
    });

  it('lists the same resources', () => {
    expect(blocks.map((b) => b.name).sort()).toEqual([...SECTION_3].sort());
  });

  it.each(blocks.map((b) => [b.name, b] as const))('%s: identity, reference fields, descriptors and required fields match', (name, block) => {
    const r = get(`ed-fi/${name}`);
    const identity = block
      .line('Identity')
      .split(' · ')
      .flatMap((part): string[][] => {
        const ref = /^`(\w+)\{([^}]*)\}`$/.exec(part.trim());
        if (ref?.[1] && ref[2]) return ref[2].split(', ').map((f) => [ref[1] ?? '', f]);
        return [[/^`(\w+)`/.exec(part.trim())?.[1] ?? part]];
      });
    expect(r.identity).toEqual(identity);

    for (const m of block.line('References').matchAll(/`(\w+)`[*!]? → ([^;{]+?)(?: \{([^}]*)\})?(?:;|$)/g)) {
      const [, refName = '', target = '', fields] = m;
      const prop = r.properties.find((p) => p.name === refName);
      if (/^(people|credentials|educationServiceCenters|stateEducationAgencies)$/.test(target.trim()) && !prop) continue;
      expect(prop?.kind, `${name}.${refName}`).toBe('reference');
      if (prop?.kind !== 'reference') continue;
      if (target.startsWith('any ed-org')) expect(prop.targets).toEqual(expect.arrayContaining(['ed-fi/schools', 'ed-fi/localEducationAgencies']));
      else expect(prop.targets).toEqual([`ed-fi/${target.trim()}`]);
      if (fields)
        expect(
          prop.fields.map((f) => f.name),
          `${name}.${refName}`,
        ).toEqual(fields.split(', '));
    }

    for (const m of block.line('Descriptors').matchAll(/`(\w+)`(?:→(\w+))?([*!])?/g)) {
      const [, descName = '', base, flag] = m;
      const prop = r.properties.find((p) => p.name === descName);
      expect(prop?.kind, `${name}.${descName}`).toBe('descriptor');
      if (prop?.kind !== 'descriptor') continue;
      const expectedBase = base ?? `${descName.charAt(0).toUpperCase()}${descName.slice(1)}`;
      expect(prop.descriptor.toLowerCase()).toBe(`ed-fi/${expectedBase}s`.toLowerCase());
      expect(prop.required, `${name}.${descName} required`).toBe(flag === '*' || flag === '!');
    }

    for (const m of block.line('Required (non-identity)').matchAll(/`(\w+)(?:\[\])?`/g)) {
      const prop = r.properties.find((p) => p.name === m[1]);
      expect(prop?.required, `${name}.${m[1]} required`).toBe(true);
      expect(prop?.identity).toBe(false);
    }
    for (const m of block.line('Optional scalars').matchAll(/`(\w+)`/g)) {
      const prop = r.properties.find((p) => p.name === m[1]);
      expect(prop && !prop.required, `${name}.${m[1]} optional`).toBe(true);
    }
  });

  it('gives each documented collection its name and required flag (or leaves it out for an unmodelled target)', () => {
    const unmodelled =
      /learningObjective|learningStandard|assessmentReference|academicWeek|reportCard|credentialReference|studentDisciplineIncidentAssociationReference/;
    for (const block of blocks) {
      const r = get(`ed-fi/${block.name}`);
      for (const m of block.body.matchAll(/^ {2}- `(\w+)(\[\])?`( \*\*\(required, ≥1 item\)\*\*)?( \(object\))?: (.*)$/gm)) {
        const [, collName = '', , required, , body = ''] = m;
        const prop = r.properties.find((p) => p.name === collName);
        if (!prop && unmodelled.test(body)) continue;
        expect(prop?.kind, `${block.name}.${collName}`).toBe(m[4] ? 'object' : 'collection');
        expect(prop?.required, `${block.name}.${collName} required`).toBe(Boolean(required));
      }
    }
  });

  it('references only what the doc says each resource depends on', () => {
    const deps = text.split('Direct prerequisites per resource')[1]?.split('Notes:')[0] ?? '';
    for (const m of deps.matchAll(/^- \*\*(\w+)\*\* ← ([^;\n]*)/gm)) {
      const [, name = '', list = ''] = m;
      const expected = list
        .replace(/\(.*?\)/g, '')
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x && x !== '—')
        .sort();
      const actual = new Set(
        allReferences(get(`ed-fi/${name}`))
          .flatMap(({ property }) => property.targets)
          .filter((t) => t !== `ed-fi/${name}` && !/educationServiceCenters|stateEducationAgencies/.test(t))
          .map((t) => t.slice('ed-fi/'.length)),
      );
      expect([...actual].sort(), name).toEqual(expected);
    }
  });
});
