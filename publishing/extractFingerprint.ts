/**
 * What besides the SIS rows decides a resource's JSON, as one hash: its mapper's revision, the
 * profile's Data Standard, Texas extension and descriptor namespace prefix, the mappings of the code
 * sets it declares, its own resource preferences, the profile settings it reads, and which load of the replica was read. When the
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
}

export interface FingerprintedResource {
  readonly revision: number;
  readonly codeSets: readonly CodeSetId[];
  /** Its toggle and the value of each option its mapper declares. */
  readonly preferences: { readonly enabled: boolean; readonly options: Readonly<Record<string, boolean>> };
  /** The values of the profile settings its mapper reads, by name. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/**
 * The order `a.localeCompare(b)` gives (the default locale's collator, as the language defines it)
 * without building a collator per comparison: a district maps thousands of reporting terms, and
 * the hash must not move, or every resource would be read whole once after an upgrade.
 */
const collator = new Intl.Collator();

export function extractFingerprint(resource: FingerprintedResource, inputs: FingerprintInputs, replicaLoad: string | null): string {
  const sets = new Set<string>(resource.codeSets);
  const mappings = inputs.mappings
    .filter((m) => sets.has(m.codeSet))
    .map((m) => {
      const row = [m.codeSet, m.schoolId, m.code, m.namespace, m.codeValue];
      return { row, key: JSON.stringify(row) };
    })
    .sort((a, b) => collator.compare(a.key, b.key))
    .map((m) => m.row);
  const preferences = [resource.preferences.enabled, Object.entries(resource.preferences.options).sort(([a], [b]) => a.localeCompare(b))];
  const settings = Object.entries(resource.settings ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256')
    .update(
      JSON.stringify([
        resource.revision,
        inputs.dataStandard,
        inputs.stateExtension,
        inputs.namespacePrefix,
        mappings,
        preferences,
        replicaLoad,
        ...(settings.length > 0 ? [settings] : []),
      ]),
    )
    .digest('hex');
}
