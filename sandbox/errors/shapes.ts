/** What went wrong, as facts the generations word differently (errors.ts renders them), and the texts both share. */
import type { ApiVersion } from '../options.js';

/** One validation failure: a JSON path (`$.lastSurname`) and the 7.x text; `legacy` when 6.1 words it differently. */
export interface Failure {
  readonly path: string;
  readonly message: string;
  /** The 6.1 wording, when it differs. */
  readonly legacy?: string;
  /** 6.1: a model-binding failure (`modelState`) rather than a validation message. */
  readonly binding?: boolean;
  /** A descriptor that could not be resolved (6.1 answers these with their own message). */
  readonly descriptor?: { readonly value: string; readonly entity: string };
}

export type ApiError =
  | { readonly kind: 'unauthenticated'; readonly reason: 'missing' | 'scheme' | 'no-token' | 'invalid'; readonly problemBody: boolean }
  | { readonly kind: 'path-not-found'; readonly path: string }
  | { readonly kind: 'item-not-found'; readonly op: 'get' | 'put' | 'delete' }
  | { readonly kind: 'ods-instance-not-found'; readonly routeValues: string }
  | { readonly kind: 'method-not-allowed'; readonly method: string; readonly variant: 'method' | 'post-with-id' | 'put-collection' | 'delete-collection' }
  | { readonly kind: 'unsupported-media-type'; readonly missing: boolean }
  | { readonly kind: 'payload-too-large'; readonly limit: number }
  | { readonly kind: 'empty-body'; readonly op: 'post' | 'put' }
  | { readonly kind: 'malformed-json'; readonly message: string }
  | { readonly kind: 'id-in-body' }
  | { readonly kind: 'invalid-id'; readonly value: string; readonly query: boolean }
  | { readonly kind: 'validation'; readonly entity: string; readonly failures: readonly Failure[] }
  | { readonly kind: 'parameter'; readonly legacy: string; readonly problem: string }
  | { readonly kind: 'claim-resource'; readonly claimSet: string; readonly claims: readonly string[]; readonly version: ApiVersion }
  | { readonly kind: 'claim-action'; readonly claimSet: string; readonly claims: readonly string[]; readonly action: string }
  | { readonly kind: 'relationship'; readonly edOrgIds: readonly number[]; readonly properties: readonly string[]; readonly hint?: string }
  | { readonly kind: 'namespace'; readonly prefixes: readonly string[]; readonly existing: boolean }
  | { readonly kind: 'unresolved-reference'; readonly entity: string }
  | { readonly kind: 'dependent-item'; readonly entity: string }
  | { readonly kind: 'key-change'; readonly entity: string }
  | { readonly kind: 'non-unique' }
  | { readonly kind: 'optimistic-lock' }
  | { readonly kind: 'snapshot-not-found' }
  | { readonly kind: 'snapshot-write' }
  | { readonly kind: 'too-many-tokens'; readonly limit: number }
  | { readonly kind: 'too-many-requests' }
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'system' };

export interface Reply {
  readonly status: number;
  /** Serialized body; none for an empty answer. */
  readonly body?: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** `(255901)`, `(1, 2, 3, 4, 5, ...)`, `(none)`: how the ODS lists a caller's ed-org claims. */
export function claimList(ids: readonly number[]): string {
  if (ids.length === 0) return 'claims (none)';
  const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ', ...' : '');
  return `${ids.length === 1 ? 'claim' : 'claims'} (${shown})`;
}

/** The relationship denial text shared by both generations (6.1 prefixes "Authorization denied. "). */
export function relationshipText(edOrgIds: readonly number[], properties: readonly string[]): string {
  const what =
    properties.length === 1
      ? `the resource item's '${properties[0]}' value`
      : `one or more of the following properties of the resource item: ${properties.map((p) => `'${p}'`).join(', ')}`;
  return `No relationships have been established between the caller's education organization id ${claimList(edOrgIds)} and ${what}.`;
}

export function namespaceText(prefixes: readonly string[], existing: boolean): string {
  return `The ${existing ? 'existing ' : ''}'Namespace' value of the data does not start with any of the caller's associated namespace prefixes (${prefixes.map((p) => `'${p}'`).join(', ')}).`;
}
