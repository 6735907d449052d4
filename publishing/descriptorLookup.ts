/**
 * Local code → descriptor URI for the mappers, from the profile's stored mappings. Unmapped codes
 * become local descriptors in the profile's namespace prefix; the lookup remembers each one it
 * hands out so the run publishes it before the records that use it.
 */
import type { CodeSetId } from './codeSets.js';
import type { DescriptorLookup } from '../resources/mapper.js';
import { CODE_SETS, findCodeSet, localDescriptor, type CodeSet, type Mapping } from './codeSets.js';

/** The Ed-Fi resource a code set's unmapped codes go out as, local descriptors in the profile's namespace. */
export const localDescriptorResource = (set: CodeSet): string => `ed-fi/${set.descriptor}`;

/** Every resource local descriptors can be of. */
export const LOCAL_DESCRIPTOR_RESOURCES: readonly string[] = [...new Set(CODE_SETS.map(localDescriptorResource))];

export interface LocalDescriptorMet {
  /** Resource path, e.g. `ed-fi/behaviorDescriptors`. */
  readonly resource: string;
  readonly namespace: string;
  readonly codeValue: string;
  readonly uri: string;
}

export interface StoredDecision {
  readonly codeSet: string;
  /** null for district-wide codes. */
  readonly schoolId: number | null;
  readonly code: string;
  /** null: the clerk chose to keep the code local. */
  readonly mapping: Mapping | null;
}

/** The stored decisions as lookups read them; built once, it serves every lookup of the same decisions. */
export type DecisionIndex = ReadonlyMap<string, Mapping | null>;

const decisionKey = (codeSet: string, schoolId: number | null | undefined, code: string): string => `${codeSet}|${schoolId ?? ''}|${code}`;

export function decisionIndex(decisions: readonly StoredDecision[]): DecisionIndex {
  const index = new Map<string, Mapping | null>();
  for (const d of decisions) index.set(decisionKey(d.codeSet, d.schoolId, d.code), d.mapping);
  return index;
}

export class MappingLookup implements DescriptorLookup {
  private readonly decisions: DecisionIndex;
  private readonly met = new Map<string, LocalDescriptorMet>();

  constructor(
    decisions: readonly StoredDecision[] | DecisionIndex,
    private readonly prefix: string,
  ) {
    this.decisions = decisions instanceof Map ? decisions : decisionIndex(decisions as readonly StoredDecision[]);
  }

  private decision(codeSet: string, code: string, schoolId: number | null | undefined): Mapping | null | undefined {
    // Per-school code sets are decided per school; district-wide ones ignore the school.
    const perSchool = findCodeSet(codeSet)?.perSchool === true;
    return this.decisions.get(decisionKey(codeSet, perSchool ? schoolId : null, code));
  }

  mapped(codeSet: CodeSetId, code: string | null | undefined, schoolId?: number | null): string | undefined {
    if (code === null || code === undefined || code.trim() === '') return undefined;
    const m = this.decision(codeSet, code, schoolId);
    return m === null || m === undefined ? undefined : `${m.namespace}#${m.codeValue}`;
  }

  uri(codeSet: CodeSetId, code: string | null | undefined, schoolId?: number | null): string | undefined {
    if (code === null || code === undefined || code.trim() === '') return undefined;
    const mapped = this.mapped(codeSet, code, schoolId);
    if (mapped !== undefined) return mapped;
    const set = findCodeSet(codeSet);
    if (set === undefined) throw new Error(`no code set "${codeSet}"`);
    const local = localDescriptor(this.prefix, set.descriptor, code);
    this.met.set(local.uri, { resource: localDescriptorResource(set), namespace: local.namespace, codeValue: local.codeValue, uri: local.uri });
    return local.uri;
  }

  /** The local descriptors handed out so far. */
  localDescriptorsMet(): LocalDescriptorMet[] {
    return [...this.met.values()];
  }
}
