/**
 * Root causes: hundreds of records in dependency or error usually share a handful of causes — one
 * school whose number is not numeric holds back every calendar and section of it. Records are
 * grouped by what they wait on (the record at the end of their wait chain, and records of one kind
 * in the same state together) or, waiting on nothing, by their shared status description; each
 * group says what to fix and where.
 */
import { CATEGORIES, entityLabel } from './categories.js';
import { CODE_SETS } from './codeSets.js';

/** A group's blocking records, by what became of them. */
export type BlockerState = 'error' | 'dependency' | 'excluded' | 'not-sent' | 'published' | 'deleted' | 'missing';

export interface CauseInput {
  readonly rootDep: string | null;
  readonly status: 'dependency' | 'error';
  readonly description: string | null;
  readonly resource: string;
  readonly n: number;
  readonly sampleKey: string;
}

export interface BlockerInput {
  readonly sourceKey: string;
  readonly status: string;
  readonly description: string | null;
  /** Its list columns' values (a school's name and number), to name it by. */
  readonly display?: Readonly<Record<string, unknown>> | null;
}

export interface BlockerView {
  readonly resource: string;
  readonly state: BlockerState;
  /** The blockers' shared status description. */
  readonly description: string | null;
  /** How many distinct records block the group. */
  readonly records: number;
  /** One of them, to open (its natural key; its catalog key and list values when the catalog holds it). */
  readonly sample: {
    readonly naturalKey: Record<string, unknown>;
    readonly sourceKey: string | null;
    readonly display: Readonly<Record<string, unknown>> | null;
  };
}

export interface CauseGroup {
  readonly status: 'dependency' | 'error';
  readonly count: number;
  readonly byResource: readonly { readonly resource: string; readonly count: number }[];
  readonly blocker: BlockerView | null;
  /** The shared status description of a group that waits on no record. */
  readonly description: string | null;
  /** One waiting record of the group, to open. */
  readonly sample: { readonly resource: string; readonly sourceKey: string };
  /** The code set to map, when the description names a descriptor the ODS does not know. */
  readonly codeSet: string | null;
  /** What to do, in the guide's words. */
  readonly fix: string;
}

export function blockerState(status: string | undefined): BlockerState {
  switch (status) {
    case undefined:
      return 'missing';
    case 'error':
    case 'dependency':
    case 'excluded':
    case 'published':
    case 'deleted':
      return status;
    default:
      return 'not-sent';
  }
}

const CATEGORY_OF = new Map(CATEGORIES.flatMap((c) => c.entities.map((e) => [e.resource, c.label] as const)));

/** `schools|{"schoolId":101}` → the resource and its natural key. */
export function parseDep(dep: string): { resource: string; naturalKey: Record<string, unknown> } {
  const bar = dep.indexOf('|');
  const resource = dep.slice(0, bar);
  try {
    return { resource, naturalKey: JSON.parse(dep.slice(bar + 1)) as Record<string, unknown> };
  } catch {
    return { resource, naturalKey: {} };
  }
}

/** The descriptor an ODS answer could not resolve, in 6.1's and 7.x's wording, as its code set. */
export function codeSetOfMessage(description: string | null): string | null {
  if (description === null) return null;
  const m = /to an existing '(\w+Descriptor)' resource|\b(\w+Descriptor) value '/.exec(description);
  const entity = m?.[1] ?? m?.[2];
  if (entity === undefined) return null;
  const resource = `${entity.charAt(0).toLowerCase()}${entity.slice(1)}s`;
  return CODE_SETS.find((s) => s.descriptor === resource)?.id ?? null;
}

const capital = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** What to do about a group's blockers. */
export function blockerFix(b: BlockerView): string {
  const what = b.records === 1 ? `the ${entityLabel(b.resource)}` : `these ${plural(b.records, entityLabel(b.resource))}`;
  const why = b.description !== null ? ` (${b.description})` : '';
  switch (b.state) {
    case 'error':
      return `Fix ${what} in the SIS${why}, then publish ${CATEGORY_OF.get(b.resource) ?? 'its category'} again: the records waiting on it follow by themselves.`;
    case 'dependency':
      return `${capital(what)} ${b.records === 1 ? 'waits' : 'wait'} too${why}: resolve that first.`;
    case 'excluded':
      return `${capital(what)} ${b.records === 1 ? 'is' : 'are'} kept out of publishing${why}: change the setting or the SIS record, and the records waiting on it follow.`;
    case 'not-sent':
      return `Publish ${CATEGORY_OF.get(b.resource) ?? `the ${entityLabel(b.resource)} records`} first: ${what} ${b.records === 1 ? 'has' : 'have'} not been sent yet.`;
    case 'published':
      return `${capital(what)} ${b.records === 1 ? 'is' : 'are'} published now: the waiting records are retried automatically (or publish Now – Errors).`;
    case 'deleted':
      return `${capital(what)} ${b.records === 1 ? 'was' : 'were'} deleted from the ODS: Republish ${b.records === 1 ? 'it' : 'them'}.`;
    case 'missing':
      return `No such ${entityLabel(b.resource)} is in this profile's catalog for the year: check that the SIS has it (and that its category is published), or correct the reference in the waiting records.`;
  }
}

/** What to do about a group that waits on no record, from its description. */
export function messageFix(status: 'dependency' | 'error', description: string | null, codeSet: string | null): string {
  if (codeSet !== null) {
    const label = CODE_SETS.find((s) => s.id === codeSet)?.label ?? codeSet;
    return `Map the code on the Mapping page (${label}), then publish Now – Errors.`;
  }
  if (status === 'dependency') return 'These wait on records the ODS does not have yet: they are retried automatically as those are published.';
  return 'Open a record for the full answer; correct the data in the SIS, then publish Now – Errors.';
}

interface Acc {
  status: 'dependency' | 'error';
  count: number;
  byResource: Map<string, number>;
  blockerDeps: Set<string>;
  blocker: Omit<BlockerView, 'records'> | null;
  description: string | null;
  sample: { resource: string; sourceKey: string; n: number };
}

/**
 * Groups counted causes: by the blocker's kind, state and description (one school, or 4,800
 * enrollments in dependency for the same reason), else by status and description; largest first.
 */
export function groupCauses(counts: readonly CauseInput[], blockers: ReadonlyMap<string, BlockerInput>): CauseGroup[] {
  const groups = new Map<string, Acc>();
  for (const c of counts) {
    let key: string;
    let blocker: Acc['blocker'] = null;
    if (c.rootDep !== null) {
      const { resource, naturalKey } = parseDep(c.rootDep);
      const b = blockers.get(c.rootDep);
      const state = blockerState(b?.status);
      const description = b?.description ?? null;
      key = `b\u0000${resource}\u0000${state}\u0000${description ?? ''}`;
      blocker = { resource, state, description, sample: { naturalKey, sourceKey: b?.sourceKey ?? null, display: b?.display ?? null } };
    } else key = `m\u0000${c.status}\u0000${c.description ?? ''}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = {
        status: c.status,
        count: 0,
        byResource: new Map(),
        blockerDeps: new Set(),
        blocker,
        description: c.rootDep === null ? c.description : null,
        sample: { resource: c.resource, sourceKey: c.sampleKey, n: 0 },
      };
      groups.set(key, g);
    }
    g.count += c.n;
    g.byResource.set(c.resource, (g.byResource.get(c.resource) ?? 0) + c.n);
    if (c.rootDep !== null) g.blockerDeps.add(c.rootDep);
    // The sample comes from the group's largest part, so it is typical of the group.
    if (c.n > g.sample.n) g.sample = { resource: c.resource, sourceKey: c.sampleKey, n: c.n };
  }
  return [...groups.values()]
    .map((g): CauseGroup => {
      const blocker = g.blocker === null ? null : { ...g.blocker, records: g.blockerDeps.size };
      const codeSet = blocker === null ? codeSetOfMessage(g.description) : null;
      return {
        status: g.status,
        count: g.count,
        byResource: [...g.byResource].map(([resource, count]) => ({ resource, count })).sort((a, b) => b.count - a.count),
        blocker,
        description: g.description,
        sample: { resource: g.sample.resource, sourceKey: g.sample.sourceKey },
        codeSet,
        fix: blocker !== null ? blockerFix(blocker) : messageFix(g.status, g.description, codeSet),
      };
    })
    .sort((a, b) => b.count - a.count);
}
