import { describe, expect, it } from 'vitest';
import { edfiModel, referencedResources, type EdfiModel, type ModelOptions } from './index.js';

const OPTIONS: ModelOptions[] = [
  { dataStandard: '4.0' },
  { dataStandard: '5.x' },
  { dataStandard: '4.0', teds: '2025.2.1' },
  { dataStandard: '5.x', teds: '2026.2.1' },
];

const orderOf = (model: EdfiModel, path: string, op: 'Create' | 'Update' = 'Create'): number =>
  model.dependencies.find((d) => d.resource === `/${path}` && d.operations.includes(op))?.order ?? Number.NaN;

describe.each(OPTIONS)('dependencies %o', (options) => {
  const model = edfiModel(options);
  const position = new Map(model.dependencyOrder.map((p, i) => [p, i]));

  it('puts every resource after everything it references', () => {
    expect([...model.dependencyOrder].sort()).toEqual([...model.resources.keys()].sort());
    for (const r of model.resources.values()) {
      for (const dep of referencedResources(r)) {
        expect(position.get(dep), `${r.path} → ${dep}`).toBeLessThan(position.get(r.path) ?? -1);
        expect(orderOf(model, dep), `${r.path} → ${dep}`).toBeLessThan(orderOf(model, r.path));
      }
    }
  });

  it('starts with the descriptors and schoolYearTypes, ties broken by path', () => {
    const descriptors = [...model.resources.values()].filter((r) => r.isDescriptor).length;
    const first = model.dependencyOrder.slice(0, descriptors + 1);
    expect(first.filter((p) => !model.resources.get(p)?.isDescriptor)).toEqual(['ed-fi/schoolYearTypes']);
    for (let i = 1; i < model.dependencyOrder.length; i++) {
      const [a = '', b = ''] = [model.dependencyOrder[i - 1], model.dependencyOrder[i]];
      const sameGroup = orderOf(model, a) === orderOf(model, b) && model.resources.get(a)?.isDescriptor === model.resources.get(b)?.isDescriptor;
      if (sameGroup && a !== 'ed-fi/schoolYearTypes') expect(a < b, `${a} before ${b}`).toBe(true);
    }
  });

  it('serves the ODS shape: sorted by order then resource, people created early and updated after their association', () => {
    const sorted = [...model.dependencies].sort((x, y) => x.order - y.order || (x.resource < y.resource ? -1 : 1));
    expect(model.dependencies).toEqual(sorted);
    expect(model.dependencies[0]?.order).toBe(1);
    expect(model.dependencies).toContainEqual({ resource: '/ed-fi/schoolYearTypes', order: 1, operations: ['Create', 'Update'] });
    expect(model.dependencies).toContainEqual({ resource: '/ed-fi/gradeLevelDescriptors', order: 1, operations: ['Create', 'Update'] });
    const contacts = options.dataStandard === '5.x' ? 'ed-fi/contacts' : 'ed-fi/parents';
    const contactAssociation = options.dataStandard === '5.x' ? 'ed-fi/studentContactAssociations' : 'ed-fi/studentParentAssociations';
    const people: Record<string, string[]> = {
      'ed-fi/students': ['ed-fi/studentSchoolAssociations'],
      'ed-fi/staffs': ['ed-fi/staffEducationOrganizationEmploymentAssociations', 'ed-fi/staffEducationOrganizationAssignmentAssociations'],
      [contacts]: [contactAssociation, 'ed-fi/studentSchoolAssociations'],
    };
    for (const path of model.resources.keys()) {
      const entries = model.dependencies.filter((d) => d.resource === `/${path}`);
      const after = people[path];
      if (!after) {
        expect(entries.map((e) => e.operations)).toEqual([['Create', 'Update']]);
        continue;
      }
      expect(entries.map((e) => e.operations)).toEqual([['Create'], ['Update']]);
      expect(entries[1]?.order).toBe(Math.max(...after.map((a) => orderOf(model, a))) + 1);
      expect(entries[0]?.order).toBeLessThan(orderOf(model, after[0] ?? ''));
    }
  });
});

describe('DS 4.0 tiers', () => {
  it('match the doc table when descriptors (always first) and the out-of-scope SEA/ESC are left out', () => {
    const model = edfiModel({ dataStandard: '4.0' });
    const ignored = (p: string): boolean => model.resources.get(p)?.isDescriptor === true || /educationServiceCenters|stateEducationAgencies/.test(p);
    const tier = new Map<string, number>();
    const tierOf = (path: string): number => {
      const known = tier.get(path);
      if (known !== undefined) return known;
      const r = model.resources.get(path);
      const deps = r ? [...referencedResources(r)].filter((p) => !ignored(p)) : [];
      const t = deps.length ? Math.max(...deps.map(tierOf)) + 1 : 0;
      tier.set(path, t);
      return t;
    };
    const table = [
      'schoolYearTypes students parents staffs',
      'localEducationAgencies studentParentAssociations',
      'schools',
      'courses programs locations classPeriods calendars gradingPeriods studentEducationOrganizationAssociations studentEducationOrganizationResponsibilityAssociations staffEducationOrganizationEmploymentAssociations studentAcademicRecords disciplineIncidents',
      'graduationPlans calendarDates sessions bellSchedules staffEducationOrganizationAssignmentAssociations staffSchoolAssociations studentCTEProgramAssociations studentLanguageInstructionProgramAssociations studentSpecialEducationProgramAssociations studentTitleIPartAProgramAssociations cohorts courseTranscripts studentDisciplineIncidentBehaviorAssociations restraintEvents',
      'courseOfferings studentSchoolAssociations staffCohortAssociations disciplineActions studentSchoolAttendanceEvents',
      'sections',
      'studentSectionAssociations staffSectionAssociations studentCohortAssociations studentSectionAttendanceEvents',
      'grades',
    ];
    table.forEach((row, t) => {
      for (const name of row.split(' ')) expect(tierOf(`ed-fi/${name}`), name).toBe(t);
    });
  });
});
