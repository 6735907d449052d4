import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ds4Definitions, edfiModel, type ObjectShape, type Property, type ResourceModel, type TedsVersion } from './index.js';
import { applyTeds, parseTedsSurface, tedsSurface, TEDS_SURFACE_TEXT } from './texas.js';
import { allReferences } from './testing.js';

const VERSIONS: TedsVersion[] = ['2024.2.1', '2025.2.1', '2026.2.1'];
const model = (teds: TedsVersion) => edfiModel({ dataStandard: '4.0', teds });

function get(path: string, teds: TedsVersion): ResourceModel {
  const r = model(teds).resource(path);
  if (!r) throw new Error(`${path} missing in ${teds}`);
  return r;
}
const inShape = (shape: ObjectShape | undefined, name: string): Property | undefined => shape?.properties.find((p) => p.name === name);
const txResources = (teds: TedsVersion) =>
  [...model(teds).resources.values()]
    .filter((r) => r.project === 'tx' && !r.isDescriptor)
    .map((r) => r.name)
    .sort();

const COMMON = [
  'basicReportingPeriodAttendances',
  'bilingualESLProgramReportingPeriodAttendances',
  'budgetExts',
  'contractedInstructionalStaffFTEExts',
  'cteProgramReportingPeriodAttendances',
  'descriptorMappingHistories',
  'extendedSchoolYearServicesAttendances',
  'flexibleBilingualESLProgramReportingPeriodAttendances',
  'flexibleCTEProgramReportingPeriodAttendances',
  'flexibleRegularProgramReportingPeriodAttendances',
  'flexibleSpecialEducationProgramReportingPeriodAttendances',
  'payrollExts',
  'priorYearLeaverParents',
  'priorYearLeaverStudentParentAssociations',
  'priorYearLeavers',
  'reportingPeriodExts',
  'sharedServiceArrangementExts',
  'specialEducationProgramReportingPeriodAttendances',
  'specialProgramsReportingPeriodAttendances',
  'ssaOrgAssociationExts',
  'studentApplications',
  'studentSpecialEducationProgramEligibilityAssociations',
];

describe('Texas TEDS extension', () => {
  const reference = (v: TedsVersion) => new URL(`../../../shared/reference/texas/texas-extension-api-surface-${v}.txt`, import.meta.url);
  it.each(VERSIONS)('%s: the shipped surface is a verbatim copy of the reference file', (v) => {
    if (!existsSync(reference(v))) return; // the shared reference folder is not part of every checkout
    expect(TEDS_SURFACE_TEXT[v].trimEnd()).toBe(readFileSync(reference(v), 'utf8').trimEnd());
  });

  it('adds nothing without a TEDS version', () => {
    const ds4 = edfiModel({ dataStandard: '4.0' });
    expect([...ds4.resources.keys()].filter((p) => p.startsWith('tx/'))).toEqual([]);
    expect([...ds4.resources.values()].filter((r) => r.extension)).toEqual([]);
  });

  it("adds each version's TX resources", () => {
    expect(txResources('2024.2.1')).toEqual([...COMMON, 'actualExts'].sort());
    expect(txResources('2025.2.1')).toEqual([...COMMON, 'priorYearActualExts'].sort());
    expect(txResources('2026.2.1')).toEqual([...COMMON, 'courseTranscriptExts', 'priorYearActualExts', 'priorYearSSAOrgAssociationExts'].sort());
  });

  it.each([
    ['2024.2.1', 92],
    ['2025.2.1', 100],
    ['2026.2.1', 107],
  ] as const)('%s: serves its %i TX descriptors under tx/, core ones stay ed-fi', (v, count) => {
    const descriptors = [...model(v).resources.values()].filter((r) => r.project === 'tx' && r.isDescriptor);
    expect(descriptors).toHaveLength(count);
    expect(model(v).resource('tx/spedStudentAgeRangeDescriptors') !== undefined).toBe(v !== '2024.2.1');
    expect(get('tx/reportingPeriodDescriptors', v)).toMatchObject({ entity: 'ReportingPeriodDescriptor', identity: [['namespace'], ['codeValue']] });
    const leaver = get('tx/priorYearLeavers', v);
    expect(inShape(leaver, 'exitWithdrawTypeDescriptor')).toMatchObject({ required: true, descriptor: 'ed-fi/exitWithdrawTypeDescriptors' });
    expect(inShape(leaver, 'asOfStatusLastFridayOctoberDescriptor')).toMatchObject({ descriptor: 'tx/asOfStatusLastFridayOctoberDescriptors' });
  });

  it('differs where the files differ', () => {
    // reportingPeriodExts: keyed by the reporting period only in 2024.2.1, by calendar date + period after.
    expect(get('tx/reportingPeriodExts', '2024.2.1').identity).toEqual([['reportingPeriodDescriptor']]);
    for (const v of ['2025.2.1', '2026.2.1'] as const) {
      expect(get('tx/reportingPeriodExts', v).identity).toEqual([
        ['reportingPeriodDescriptor'],
        ...['calendarCode', 'date', 'schoolId', 'schoolYear'].map((f) => ['calendarDateReference', f]),
      ]);
    }
    // Calendar-date minutes gained their 0..600 range in 2025.2.1.
    expect(inShape(get('ed-fi/calendarDates', '2024.2.1').extension, 'schoolDayOperationalMinutes')).toMatchObject({ type: { kind: 'integer' } });
    expect(inShape(get('ed-fi/calendarDates', '2025.2.1').extension, 'schoolDayOperationalMinutes')).toMatchObject({
      type: { kind: 'integer', min: 0, max: 600 },
    });
    // courseTranscripts' TX fields moved to the courseTranscriptExts resource in 2026.2.1.
    expect(get('ed-fi/courseTranscripts', '2025.2.1').extension).toBeDefined();
    expect(get('ed-fi/courseTranscripts', '2026.2.1').extension).toBeUndefined();
    // safeSupportiveSchoolProgramTeamReview moved from disciplineIncidents to the behaviour association in 2026.2.1.
    expect(inShape(get('ed-fi/disciplineIncidents', '2025.2.1').extension, 'safeSupportiveSchoolProgramTeamReview')).toBeDefined();
    expect(get('ed-fi/disciplineIncidents', '2026.2.1').extension).toBeUndefined();
    expect(inShape(get('ed-fi/studentDisciplineIncidentBehaviorAssociations', '2026.2.1').extension, 'safeSupportiveSchoolProgramTeamReview')).toBeDefined();
    // Prior-year leaver addresses: an array in 2024.2.1, a single object after.
    expect(inShape(get('tx/priorYearLeavers', '2024.2.1'), 'addresses')?.kind).toBe('collection');
    expect(inShape(get('tx/priorYearLeavers', '2025.2.1'), 'address')?.kind).toBe('object');
    // ppcdServiceLocationDescriptor became ecseServiceLocationDescriptor in 2026.2.1.
    const sets = (v: TedsVersion) => {
      const p = inShape(get('ed-fi/studentSpecialEducationProgramAssociations', v).extension, 'studentSPEDProgramAssociationSets');
      return p?.kind === 'collection' ? p.item.properties.map((x) => x.name) : [];
    };
    expect(sets('2025.2.1')).toContain('ppcdServiceLocationDescriptor');
    expect(sets('2026.2.1')).toContain('ecseServiceLocationDescriptor');
    expect(sets('2026.2.1')).not.toContain('ppcdServiceLocationDescriptor');
  });

  it.each(VERSIONS)('%s: reference fields derived from the target identity equal the fields the file lists', (v) => {
    const declared = new Map<string, readonly string[]>();
    for (const def of tedsSurface(v).resources) {
      for (const p of def.properties) if (p.kind === 'reference' && p.declaredFields) declared.set(`tx/${def.name}.${p.name}`, p.declaredFields);
    }
    expect(declared.size).toBeGreaterThan(30);
    for (const r of model(v).resources.values()) {
      for (const { at, property } of allReferences(r)) {
        const expected = declared.get(at);
        if (expected)
          expect(
            property.fields.map((f) => f.name),
            at,
          ).toEqual([...expected].sort());
      }
    }
    const ssa = inShape(get('tx/ssaOrgAssociationExts', v), 'educationOrganizationReference');
    expect(ssa?.kind === 'reference' && ssa.targets).toEqual(expect.arrayContaining(['ed-fi/schools', 'ed-fi/localEducationAgencies']));
  });

  it('puts `_ext.TX` on core resources and on collection items', () => {
    const student = get('ed-fi/students', '2025.2.1').extension;
    expect(inShape(student, 'studentId')).toEqual({
      kind: 'scalar',
      name: 'studentId',
      identity: false,
      required: true,
      type: { kind: 'string', maxLength: 9 },
    });
    const diplomas = inShape(get('ed-fi/studentAcademicRecords', '2025.2.1'), 'diplomas');
    expect(diplomas?.kind === 'collection' && inShape(diplomas.item.extension, 'financialAidApplicationDescriptor')).toMatchObject({
      descriptor: 'tx/financialAidApplicationDescriptors',
    });
    const disabilities = inShape(get('ed-fi/studentSpecialEducationProgramAssociations', '2026.2.1'), 'disabilities');
    expect(disabilities?.kind === 'collection' && inShape(disabilities.item.extension, 'sets')).toMatchObject({ kind: 'collection', required: true });
  });

  it('reports extensions of core resources the model does not have', () => {
    for (const v of VERSIONS) {
      expect(applyTeds(ds4Definitions(), tedsSurface(v)).skipped).toEqual(['ed-fi/assessments', 'ed-fi/studentProgramAttendanceEvents']);
    }
  });

  it('follows the DS 5.x rename of parents to contacts', () => {
    const contacts = edfiModel({ dataStandard: '5.x', teds: '2026.2.1' }).resource('ed-fi/contacts');
    expect(inShape(contacts?.extension, 'generationCodeDescriptor')).toMatchObject({ descriptor: 'tx/generationCodeDescriptors' });
  });

  it('parses deterministically and refuses what it does not understand', () => {
    expect(parseTedsSurface(TEDS_SURFACE_TEXT['2025.2.1'])).toEqual(parseTedsSurface(TEDS_SURFACE_TEXT['2025.2.1']));
    expect(() => parseTedsSurface('/tx/things   (Thing)\n  name [K] text(3)\n')).toThrow(/unknown type/);
    expect(() => parseTedsSurface('/tx/things   (Thing)\n      deep [K] date\n')).toThrow(/indent/);
    expect(() => parseTedsSurface('something else\n')).toThrow(/unexpected line/);
  });
});
