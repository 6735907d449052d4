/**
 * What a fresh sandbox holds (sandbox/seed/*.json, our own data): core Ed-Fi descriptors, the TEA
 * namespace with a Texas extension, school years 1991–2050, the demo district's organization
 * catalog and a small course catalog, and the API clients. Seed documents go through the same
 * validation as a POST; one the model refuses is skipped with a warning, never a failed start.
 */
import { readFileSync } from 'node:fs';
import type { EdfiModel } from '../edfi/model/types.js';
import { parseClients, type RegisteredClient } from './clients.js';
import type { Store } from './store.js';
import { validateDocument, type Doc } from './validate.js';

const DIR = new URL('./seed/', import.meta.url);

function readSeed<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as T;
}

interface DescriptorFile {
  readonly namespacePrefix: string;
  readonly descriptors: Record<string, (readonly string[])[]>;
}

/** The LEAs of the seeded organization catalog: who the seeded clients (and clients without ed-orgs) act for. */
export function seededLeaIds(): number[] {
  const orgs = readSeed<{ resources: Record<string, Doc[]> }>('organizations.json');
  return (orgs.resources['ed-fi/localEducationAgencies'] ?? []).map((l) => l.localEducationAgencyId as number);
}

export function seededClients(): RegisteredClient[] {
  return parseClients(readSeed<unknown>('clients.json'), 'sandbox/seed/clients.json', seededLeaIds());
}

function descriptorDocs(file: DescriptorFile, model: EdfiModel): [string, Doc][] {
  const out: [string, Doc][] = [];
  for (const [path, values] of Object.entries(file.descriptors)) {
    const r = model.resource(path);
    if (r === undefined) continue;
    const namespace = `${file.namespacePrefix}/${r.entity}`;
    for (const [codeValue, short] of values)
      out.push([r.path, { codeValue, namespace, shortDescription: (short ?? codeValue).slice(0, 75), description: short ?? codeValue }]);
  }
  return out;
}

/** Everything to load, in an order where references resolve. */
function seedDocuments(model: EdfiModel): [string, Doc][] {
  const docs: [string, Doc][] = descriptorDocs(readSeed<DescriptorFile>('descriptors.json'), model);
  if (model.options.teds !== undefined) docs.push(...descriptorDocs(readSeed<DescriptorFile>('texas-descriptors.json'), model));
  const years = readSeed<{ from: number; to: number; current: number }>('schoolYearTypes.json');
  for (let y = years.from; y <= years.to; y++)
    docs.push(['ed-fi/schoolYearTypes', { schoolYear: y, currentSchoolYear: y === years.current, schoolYearDescription: `${y - 1}-${y}` }]);
  const byPath = new Map<string, Doc[]>();
  for (const file of ['organizations.json', 'courses.json']) {
    for (const [path, list] of Object.entries(readSeed<{ resources: Record<string, Doc[]> }>(file).resources))
      byPath.set(path, [...(byPath.get(path) ?? []), ...list]);
  }
  for (const path of model.dependencyOrder) for (const d of byPath.get(path) ?? []) docs.push([path, d]);
  return docs;
}

/** Loads the seed into an empty store; returns what was skipped, for a warning. */
export function seedStore(store: Store, model: EdfiModel): string[] {
  const skipped: string[] = [];
  for (const [path, raw] of seedDocuments(model)) {
    const col = store.collection(path);
    if (col === undefined) continue;
    const { doc, failures } = validateDocument(raw, col.model, {
      dataStandard: model.options.dataStandard,
      strict: false,
      resolveDescriptor: (p, uri) => store.resolveDescriptor(p, uri),
      descriptorEntity: (p) => model.resources.get(p)?.entity ?? p,
    });
    const missing = failures.length === 0 ? store.missingReference(doc, col.model) : undefined;
    if (failures.length > 0 || missing !== undefined) {
      skipped.push(
        `${path}: ${failures.map((f) => `${f.path} ${f.message}`).join('; ')}${missing !== undefined ? `reference ${missing.name} does not resolve` : ''}`,
      );
      continue;
    }
    const key = col.keyOf(doc);
    const existing = key !== undefined ? col.byKey.get(key) : undefined;
    if (existing !== undefined) store.update(col, existing, doc);
    else store.insert(col, doc);
  }
  return skipped;
}
