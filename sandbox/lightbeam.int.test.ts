/**
 * An Ed-Fi client nobody here wrote sends into the sandbox: lightbeam from PyPI reads the
 * discovery document, the dependencies and the OpenAPI metadata, gets a token and POSTs JSONL.
 * Skipped, saying why, where python3 or PyPI is not available.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from './server.js';
import { EdfiClient } from '../edfi/client/api.js';
import { installLightbeam, sendWithLightbeam, type Install } from './lightbeam/lightbeam.js';

const root = path.resolve(import.meta.dirname, '..');
let install: Install;
let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  install = await installLightbeam(root);
  if (!install.ok) console.log(`lightbeam test skipped: ${install.reason}`);
  sandbox = await startSandbox({ texasExtension: '2025.2.1' });
  dir = mkdtempSync(path.join(tmpdir(), 'lightbeam-'));
}, 300_000);

afterAll(async () => {
  await sandbox?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const jsonl = (docs: unknown[]): string => `${docs.map((d) => JSON.stringify(d)).join('\n')}\n`;

describe('lightbeam', () => {
  it('sends descriptors, a school, students and their enrollments into the sandbox in dependency order', async (ctx) => {
    if (!install.ok) ctx.skip();
    if (!install.ok) return;
    const data = path.join(dir, 'data');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(data);
    writeFileSync(
      path.join(data, 'academicSubjectDescriptors.jsonl'),
      jsonl([{ namespace: 'uri://ed-fi.org/AcademicSubjectDescriptor', codeValue: 'Lightbeam Subject', shortDescription: 'Lightbeam Subject' }]),
    );
    writeFileSync(
      path.join(data, 'schools.jsonl'),
      jsonl([
        {
          schoolId: 149913555,
          nameOfInstitution: 'Lightbeam Academy',
          localEducationAgencyReference: { localEducationAgencyId: 149913 },
          educationOrganizationCategories: [{ educationOrganizationCategoryDescriptor: 'uri://ed-fi.org/EducationOrganizationCategoryDescriptor#School' }],
          gradeLevels: [{ gradeLevelDescriptor: 'uri://ed-fi.org/GradeLevelDescriptor#Ninth grade' }],
        },
      ]),
    );
    const students = ['LB0001', 'LB0002'];
    writeFileSync(
      path.join(data, 'students.jsonl'),
      jsonl(students.map((id, i) => ({ studentUniqueId: id, firstName: `Light${i}`, lastSurname: 'Beam', birthDate: '2010-01-0' + String(i + 1) }))),
    );
    writeFileSync(
      path.join(data, 'studentSchoolAssociations.jsonl'),
      jsonl(
        students.map((id) => ({
          studentReference: { studentUniqueId: id },
          schoolReference: { schoolId: 149913555 },
          entryDate: '2024-08-14',
          entryGradeLevelDescriptor: 'uri://ed-fi.org/GradeLevelDescriptor#Ninth grade',
        })),
      ),
    );
    const output = await sendWithLightbeam({
      install,
      baseUrl: sandbox.baseUrl,
      key: DEFAULT_CLIENT.key,
      secret: DEFAULT_CLIENT.secret,
      dataDir: data,
      stateDir: path.join(dir, 'state'),
    });
    const api = new EdfiClient({ apiUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
    try {
      expect(await api.page('ed-fi/schools', 0, 10, { schoolId: '149913555' }), output).toHaveLength(1);
      for (const id of students) expect(await api.page('ed-fi/students', 0, 10, { studentUniqueId: id }), output).toHaveLength(1);
      expect(await api.page('ed-fi/studentSchoolAssociations', 0, 10, { schoolId: '149913555' }), output).toHaveLength(2);
      expect(await api.page('ed-fi/academicSubjectDescriptors', 0, 10, { codeValue: 'Lightbeam Subject' }), output).toHaveLength(1);
    } finally {
      await api.close();
    }
  }, 300_000);
});
