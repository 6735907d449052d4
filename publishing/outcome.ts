/**
 * What an Ed-Fi API answer means for a catalog record: published, in dependency (the API said 403,
 * or our own check found a missing prerequisite), in error (fix the data), or worth retrying as it
 * is (the server's trouble, not the data's). The fix hints follow the guide's troubleshooting tables.
 */

/** `excluded`: kept out of publishing by the profile's settings (never sent), shown with the reason. */
export type CatalogStatus = 'pending' | 'processing' | 'published' | 'dependency' | 'error' | 'deleted' | 'excluded';

export type DependencySource = 'computed' | 'api';

/**
 * A refusal no retry can fix: the key's education organizations do not include the record's, or
 * its claim set lacks the resource or the action. It is the connection's to fix, not the record's.
 */
export type SetupProblem = 'education-organization' | 'claim-set';

export interface Outcome {
  readonly status: CatalogStatus;
  /** Set when the answer says the ODS's set-up, not the data, is what is wrong. */
  readonly setup?: SetupProblem;
  /** True when sending the same JSON again may succeed (Retry – Errors). */
  readonly retryable: boolean;
  readonly dependencySource?: DependencySource;
  /** The API's message, as the record details show it. */
  readonly message: string;
  /** What the clerk can do about it. */
  readonly hint?: string;
}

export type Verb = 'POST' | 'PUT' | 'DELETE';

/** The human message inside an ODS/API error body: 6.1 `{"message"}`, 7.x Problem Details. */
export function apiMessage(body: unknown): string {
  if (typeof body !== 'object' || body === null) return typeof body === 'string' ? body : '';
  const b = body as { message?: unknown; detail?: unknown; errors?: unknown; validationErrors?: unknown };
  const parts: string[] = [];
  if (typeof b.message === 'string') parts.push(b.message);
  if (typeof b.detail === 'string') parts.push(b.detail);
  if (Array.isArray(b.errors)) parts.push(...b.errors.filter((e): e is string => typeof e === 'string'));
  if (typeof b.validationErrors === 'object' && b.validationErrors !== null) {
    for (const [field, msgs] of Object.entries(b.validationErrors as Record<string, unknown>)) {
      if (Array.isArray(msgs)) parts.push(...msgs.map((m) => `${field}: ${String(m)}`));
    }
  }
  return parts.join(' ');
}

/** The resource a 409 says is missing: "The referenced 'Student' item does not exist." / "…related 'XYZ' resource…". */
export function missingReference(message: string): string | undefined {
  return /referenced '([^']+)' item does not exist/i.exec(message)?.[1] ?? /related '([^']+)' resource does not exist/i.exec(message)?.[1];
}

/** A person the ODS names in a relationship refusal ('StudentUniqueId', referenced 'Staff', …). */
const PERSON = /'(Student|Staff|Parent|Contact)(UniqueId|USI)?'/i;

/**
 * What kind of 403 the ODS gave, by its message (every version's wording, see reference/edfi-api-facts.md §4g):
 * a namespace the key may not write; a claim set without the resource or action; a relationship
 * refusal naming a person (the association that claims them may come later: a dependency) or only
 * education organization ids (the key serves other ones: set-up). 5.x's relationship refusal names
 * nothing and stays a dependency, as does any 403 this does not recognise.
 */
export function denialOf(message: string): 'namespace' | SetupProblem | 'person' {
  if (/namespace/i.test(message)) return 'namespace';
  if (/claim set|missing a claim|for the requested action|do not have permissions to/i.test(message)) return 'claim-set';
  if (/no relationships have been established/i.test(message) && !PERSON.test(message)) return 'education-organization';
  return 'person';
}

/** The key's claims a relationship refusal names: "education organization id claim (149913)". */
export function claimsNamed(message: string): string | undefined {
  const m = /education organization id (claims? \([^)]*\))/i.exec(message);
  return m?.[1];
}

/** The guide's "Common Dependencies" resolution for a relationship refusal, by the person it names. */
export function relationshipHint(message: string): string {
  const person = PERSON.exec(message)?.[1]?.toLowerCase();
  if (person === 'student')
    return "Student School Association: the student is not yet claimed by the district in the ODS — a School Enrollment (Student School Association) must be published first. Run 'Now – Changes' on Enrollment & Demographics; this record is retried automatically as soon as the student's enrollment publishes.";
  if (person === 'staff')
    return "Staff School Association: the staff member is not yet claimed by the district in the ODS — a Staff Employment or Staff Assignment record must be published first. Run 'Now – Changes' on Staff Associations; this record is retried automatically as soon as it publishes.";
  return 'The ODS needs a related record first (the association that claims the person). Publish it; this record is retried automatically.';
}

export function classifyResponse(verb: Verb, status: number, body: unknown): Outcome {
  const message = apiMessage(body) || `HTTP ${status}`;
  if (status >= 200 && status < 300) return { status: verb === 'DELETE' ? 'deleted' : 'published', retryable: false, message: '' };
  if (status === 404 && verb === 'DELETE') return { status: 'deleted', retryable: false, message: 'already gone from the ODS' };
  if (status === 400) {
    const uniqueId = /(Student|Staff)Uni(que|qu)Id is required/i.test(message);
    return {
      status: 'error',
      retryable: false,
      message,
      hint: uniqueId
        ? "The person's Unique ID changed or is missing: run Now – Changes or Now – Errors on the category."
        : 'The data was refused as sent: correct it in the SIS (or map the code), then run Now – Errors on the category.',
    };
  }
  if (status === 403 && denialOf(message) === 'namespace') {
    // Not a missing relationship: the key may not write this namespace, and retrying will not change that.
    return {
      status: 'error',
      retryable: false,
      message,
      hint: "The state's key may not write descriptors in this namespace: set DescriptorNameSpacePrefixToPublish (profile settings) to a namespace the key has, or ask the state to add it to the key; then run Now – Errors.",
    };
  }
  if (status === 403) {
    const denial = denialOf(message);
    if (denial === 'claim-set') {
      return {
        status: 'error',
        retryable: false,
        setup: 'claim-set',
        message,
        hint: "The ODS's security set-up does not let this key's claim set do this: ask the state (or the Ed-Fi Alliance for your own ODS) to correct the claim set of the key; then Test the connection and run Now – Errors.",
      };
    }
    if (denial === 'education-organization') {
      const claims = claimsNamed(message);
      return {
        status: 'error',
        retryable: false,
        setup: 'education-organization',
        message,
        hint: `The key of this connection is not associated with this district's education organizations${claims !== undefined ? ` (it holds ${claims})` : ''}: enter the key and secret the state issued for this LEA (Configure → LEA), Test and Enable; then run Now – Errors.`,
      };
    }
    return { status: 'dependency', retryable: true, dependencySource: 'api', message, hint: relationshipHint(message) };
  }
  if (status === 409) {
    if (verb === 'DELETE')
      return { status: 'error', retryable: false, message, hint: 'Other records in the ODS still refer to this one: delete or change them first, then retry.' };
    const missing = missingReference(message);
    return {
      status: 'error',
      retryable: false,
      message,
      hint: `The ODS does not have the ${missing ?? 'referenced'} record this one points to, though it may show as published here: run Now – All on the category that holds ${missing ?? 'it'}, then Now – Changes here.`,
    };
  }
  if (status === 404)
    return { status: 'error', retryable: false, message, hint: 'The record is no longer in the ODS: run Now – All on the category to send it again.' };
  if (status === 503)
    return {
      status: 'error',
      retryable: true,
      message: message || 'Service Unavailable',
      hint: 'The Ed-Fi API is not running properly: tell the state; once fixed, run Now – Errors.',
    };
  if (status === 401 || status === 412 || status === 429 || status >= 500) {
    return {
      status: 'error',
      retryable: true,
      message,
      hint: 'A problem on the API side, not in the data: Retry – Errors. If it happens again, contact the state.',
    };
  }
  return { status: 'error', retryable: false, message };
}

/** The network failed before any answer: the record is unchanged in the ODS as far as we know. */
export function networkFailure(reason: string): Outcome {
  return { status: 'error', retryable: true, message: `no answer from the Ed-Fi API: ${reason}`, hint: 'Retry – Errors once the API is reachable again.' };
}

/**
 * The guide's dependency retry intervals: a dependency we computed is retried after 1 minute, one
 * the API returned (403) after 10; each attempt adds a minute, up to 99 minutes.
 */
export const DEPENDENCY_RETRY_MINUTES = { first: { computed: 1, api: 10 }, max: 99 } as const;

export function dependencyRetryDelayMinutes(source: DependencySource, attemptsSoFar: number): number {
  return Math.min(DEPENDENCY_RETRY_MINUTES.max, DEPENDENCY_RETRY_MINUTES.first[source] + Math.max(0, attemptsSoFar));
}
