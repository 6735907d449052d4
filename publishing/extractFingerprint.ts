/**
 * What besides the SIS rows decides a resource's JSON, as one hash: its mapper's revision, the
 * profile's Data Standard, Texas extension and descriptor namespace prefix, the mappings of the code
 * sets it declares, its own resource preferences, and which load of the replica was read. When the
 * hash moves, the SIS's events no longer say which records changed, so Now – Changes reads that
 * resource whole once — that resource only: mapping a reporting term re-reads grading periods and
 * sessions, not calendars.
 */
import { createHash } from 'node:crypto';
import type { CodeSetId } from './codeSets.js';

export interface FingerprintInputs {
  readonly dataStandard: string;
  readonly stateExtension: string;
  readonly namespacePrefix: string;
  readonly mappings: ReadonlyArray<{
    readonly codeSet: string;
    readonly schoolId: number;
    readonly code: string;
    readonly namespace: string | null;
    readonly codeValue: string | null;
  }>;
  readonly preferences: ReadonlyArray<{ readonly resource: string; readonly enabled: boolean; readonly reportGradeLevels: boolean }>;
}

export interface FingerprintedResource {
  /** The catalog name (`gradingPeriods`): its preferences are stored under it. */
  readonly name: string;
  readonly revision: number;
  readonly codeSets: readonly CodeSetId[];
}

export function extractFingerprint(resource: FingerprintedResource, inputs: FingerprintInputs, replicaLoad: string | null): string {
  const sets = new Set<string>(resource.codeSets);
  const mappings = inputs.mappings
    .filter((m) => sets.has(m.codeSet))
    .map((m) => [m.codeSet, m.schoolId, m.code, m.namespace, m.codeValue])
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const preferences = inputs.preferences.filter((p) => p.resource === resource.name).map((p) => [p.enabled, p.reportGradeLevels]);
  return createHash('sha256')
    .update(JSON.stringify([resource.revision, inputs.dataStandard, inputs.stateExtension, inputs.namespacePrefix, mappings, preferences, replicaLoad]))
    .digest('hex');
}
