/**
 * A request to publish one category: what a clerk picks from a category's ⋮ menu, or an API
 * client sends. The publish queue holds these; the rules for a valid one live here.
 */
import { findCategory, optionsFor, PUBLISH_OPTIONS, type PublishOption } from './categories.js';

/** District-wide, or one school (the dashboard's context selector). */
export type PublishScope = { readonly kind: 'district' } | { readonly kind: 'school'; readonly schoolId: string };

export interface PublishRequest {
  readonly category: string;
  readonly option: PublishOption;
  readonly scope: PublishScope;
  /** School year by its ending year (2025 = 2024-2025). */
  readonly schoolYear: number;
  /** Who asked: a user name, an API key's name, or a schedule. Shown in the Temporal UI memo. */
  readonly requestedBy: string;
  /** What started it, for support engineers' filters (the `Trigger` search attribute); older requests have none. */
  readonly trigger?: Trigger;
  /** The W3C trace context of the request that asked, when traced: the run's activities continue that trace. */
  readonly traceparent?: string;
}

/** The trace id of a W3C `traceparent` (`00-{trace id}-{span id}-{flags}`); undefined for anything else. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent ?? '')?.[1];
}

/** What starts a category run. */
export const TRIGGERS = ['clerk', 'api', 'schedule', 'data-changes', 'initial-sync', 'dependencies', 'cascade'] as const;
export type Trigger = (typeof TRIGGERS)[number];

/** A request's trigger; one queued before requests carried it is told by who asked. */
export function triggerOf(request: PublishRequest): Trigger {
  if (request.trigger !== undefined) return request.trigger;
  const by = request.requestedBy;
  if (by.startsWith('schedule ')) return 'schedule';
  if (by.startsWith('api key ')) return 'api';
  if (by.startsWith('initial sync ')) return 'initial-sync';
  if (by.startsWith('dependency')) return 'dependencies';
  if (by.startsWith('key change') || by.startsWith('removal')) return 'cascade';
  return 'clerk';
}

export type RequestCheck = { readonly ok: true } | { readonly ok: false; readonly field: keyof PublishRequest; readonly reason: string };

/** Every reason a request cannot be queued, in words a clerk can act on. */
export function checkPublishRequest(request: PublishRequest): RequestCheck {
  const category = findCategory(request.category);
  if (category === undefined) return { ok: false, field: 'category', reason: `unknown category "${request.category}"` };
  const allowed = optionsFor(category);
  if (!allowed.includes(request.option)) {
    return {
      ok: false,
      field: 'option',
      reason: `"${category.label}" offers ${allowed.map((o) => `${PUBLISH_OPTIONS[o]} (${o})`).join(', ')}; "${request.option}" is not one of them`,
    };
  }
  if (category.districtOnly === true && request.scope.kind === 'school') {
    return { ok: false, field: 'scope', reason: `"${category.label}" is district-level data: publish it from the District context` };
  }
  if (!Number.isInteger(request.schoolYear) || request.schoolYear < 1991 || request.schoolYear > 2100) {
    return { ok: false, field: 'schoolYear', reason: `school year must be the ending year, e.g. 2025 for 2024-2025; got ${request.schoolYear}` };
  }
  return { ok: true };
}

/** Two requests for the same work: queuing the second would only publish the same records twice. */
export function sameWork(a: PublishRequest, b: PublishRequest): boolean {
  return (
    a.category === b.category &&
    a.option === b.option &&
    a.schoolYear === b.schoolYear &&
    a.scope.kind === b.scope.kind &&
    (a.scope.kind === 'district' || (b.scope.kind === 'school' && a.scope.schoolId === b.scope.schoolId))
  );
}

export function describeScope(scope: PublishScope): string {
  return scope.kind === 'district' ? 'district' : `school ${scope.schoolId}`;
}
