import { describe, expect, it } from 'vitest';
import { edfiModel, openApiFor, type JsonSchema, type OpenApiDocument } from './index.js';

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

function schema(doc: OpenApiDocument, name: string): JsonSchema {
  const s = doc.components.schemas[name];
  if (!s) throw new Error(`no schema ${name}`);
  return s;
}

describe('openApiFor', () => {
  const model = edfiModel({ dataStandard: '4.0', teds: '2025.2.1' });
  const resources = openApiFor(model, 'resources', 'http://localhost:8001');
  const descriptors = openApiFor(model, 'descriptors', 'http://localhost:8001/data/v3/');

  it('lists every resource in its section with list/post and get/put/delete by id', () => {
    const all = [...model.resources.values()];
    for (const [doc, wanted] of [
      [resources, all.filter((r) => !r.isDescriptor)],
      [descriptors, all.filter((r) => r.isDescriptor)],
    ] as const) {
      expect(Object.keys(doc.paths)).toHaveLength(wanted.length * 2);
      for (const r of wanted) {
        expect(Object.keys(doc.paths[`/${r.path}`] ?? {}).sort(), r.path).toEqual(['get', 'post']);
        expect(Object.keys(doc.paths[`/${r.path}/{id}`] ?? {}).sort(), r.path).toEqual(['delete', 'get', 'put']);
      }
    }
    expect(resources.paths['/ed-fi/gradeLevelDescriptors']).toBeUndefined();
    expect(descriptors.paths['/tx/reportingPeriodDescriptors']).toBeDefined();
  });

  it('is a self-contained OpenAPI 3 document', () => {
    for (const doc of [resources, descriptors]) {
      expect(doc.openapi).toBe('3.0.1');
      expect(doc.servers).toEqual([{ url: 'http://localhost:8001/data/v3' }]);
      expect(doc.components.securitySchemes.oauth2_client_credentials?.flows.clientCredentials.tokenUrl).toBe('http://localhost:8001/oauth/token');
      for (const ref of refs(doc)) {
        const [, section, name = ''] = /^#\/components\/(schemas|parameters)\/(.+)$/.exec(ref) ?? [];
        expect(section === 'schemas' ? doc.components.schemas[name] : doc.components.parameters[name], ref).toBeDefined();
      }
      const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('builds schemas from the properties: required lists, lengths, formats, references and collections', () => {
    const ssa = schema(resources, 'edFi_studentSchoolAssociation');
    expect(ssa.required).toEqual(['entryDate', 'schoolReference', 'studentReference', 'entryGradeLevelDescriptor']);
    // Natural-key fields carry the ODS/API's x-Ed-Fi-isIdentity (lightbeam reads it), on a reference its fields.
    expect(ssa.properties?.entryDate).toEqual({ type: 'string', format: 'date', 'x-Ed-Fi-isIdentity': true });
    expect(schema(resources, 'edFi_schoolReference').properties?.schoolId).toMatchObject({ type: 'integer', 'x-Ed-Fi-isIdentity': true });
    expect(ssa.properties?.exitWithdrawDate).not.toHaveProperty('x-Ed-Fi-isIdentity');
    expect(ssa.properties?.schoolReference).toEqual({ $ref: '#/components/schemas/edFi_schoolReference' });
    expect(ssa.properties?.classOfSchoolYearTypeReference).toEqual({ $ref: '#/components/schemas/edFi_schoolYearTypeReference' });
    expect(schema(resources, 'edFi_graduationPlanReference').required).toEqual([
      'educationOrganizationId',
      'graduationPlanTypeDescriptor',
      'graduationSchoolYear',
    ]);
    expect(ssa.properties?._ext).toEqual({ type: 'object', properties: { TX: { $ref: '#/components/schemas/edFi_studentSchoolAssociation_Extension_TX' } } });
    const school = schema(resources, 'edFi_school');
    expect(school.properties?.gradeLevels).toEqual({ type: 'array', minItems: 1, items: { $ref: '#/components/schemas/edFi_school_gradeLevels' } });
    expect(schema(resources, 'edFi_school_gradeLevels').required).toEqual(['gradeLevelDescriptor']);
    expect(school.properties?.nameOfInstitution).toEqual({ type: 'string', maxLength: 75 });
    const basic = schema(resources, 'tx_basicReportingPeriodAttendance');
    expect(basic.properties?.numberDaysTaught).toEqual({ type: 'integer', minimum: 1, maximum: 180 });
    expect(schema(descriptors, 'edFi_gradeLevelDescriptor').required).toEqual(['namespace', 'codeValue', 'shortDescription']);
  });
});
