/** ODS/API 7.x (7.2+ texts): errors as Problem Details. Facts: edfi-api-facts.md §1, §3, §4. */
import { relationshipText, namespaceText, type ApiError, type Reply } from './shapes.js';

const PROBLEM = 'application/problem+json';
const JSON_TYPE = 'application/json';

interface Problem {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly validationErrors?: Record<string, string[]>;
  readonly errors?: readonly string[];
  /** Middleware answers (401, 404 path, 405, 415) are problem+json; controller answers go out as application/json. */
  readonly middleware?: boolean;
}

function reply(p: Problem, correlationId: string, headers?: Record<string, string>): Reply {
  const body = {
    detail: p.detail,
    type: `urn:ed-fi:api:${p.type}`,
    title: p.title,
    status: p.status,
    correlationId,
    ...(p.validationErrors ? { validationErrors: p.validationErrors } : {}),
    ...(p.errors ? { errors: p.errors } : {}),
  };
  return { status: p.status, body: JSON.stringify(body), contentType: p.middleware === true ? PROBLEM : JSON_TYPE, ...(headers ? { headers } : {}) };
}

const AUTH_ERRORS = {
  missing: 'Authorization header is missing.',
  scheme: 'Unknown Authorization header scheme.',
  'no-token': 'Missing Authorization header bearer token value.',
  invalid: 'Invalid token',
} as const;
const METHOD_TEXT = {
  'post-with-id': 'Resource items can only be updated using PUT. To "upsert" an item in the resource collection using POST, remove the "id" from the route.',
  'put-collection':
    'Resource collections cannot be replaced. To "upsert" an item in the collection, use POST. To update a specific item, use PUT and include the "id" in the route.',
  'delete-collection': 'Resource collections cannot be deleted. To delete a specific item, use DELETE and include the "id" in the route.',
} as const;
const VALIDATION_DETAIL = "Data validation failed. See 'validationErrors' for details.";
const ERRORS_DETAIL = "The request could not be processed. See 'errors' for details.";
const DENIED = 'Access to the requested data could not be authorized.';

function grouped(failures: readonly { path: string; message: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of failures) (out[f.path] ??= []).push(f.message);
  return out;
}

export function renderProblem(e: ApiError, correlationId: string): Reply {
  switch (e.kind) {
    case 'unauthenticated':
      // Only /data, /composites and /changeQueries paths get the body; elsewhere ASP.NET's bare challenge.
      if (!e.problemBody) return { status: 401, headers: { 'www-authenticate': 'Bearer' } };
      return reply(
        {
          status: 401,
          type: 'security:authentication',
          title: 'Authentication Failed',
          detail: 'The caller could not be authenticated.',
          errors: [AUTH_ERRORS[e.reason]],
          middleware: true,
        },
        correlationId,
        { 'www-authenticate': 'Bearer' },
      );
    case 'path-not-found':
      return reply(
        {
          status: 404,
          type: 'not-found',
          title: 'Not Found',
          detail: 'The specified data could not be found.',
          errors: [`Path '${e.path}' does not exist. Check the resource name and try again.`],
          middleware: true,
        },
        correlationId,
      );
    case 'item-not-found':
      return reply(
        {
          status: 404,
          type: 'not-found',
          title: 'Not Found',
          detail:
            e.op === 'get'
              ? 'The specified item could not be found.'
              : e.op === 'put'
                ? 'Resource to update was not found.'
                : 'Resource to delete was not found.',
        },
        correlationId,
      );
    case 'ods-instance-not-found':
      return reply(
        {
          status: 404,
          type: 'not-found',
          title: 'Not Found',
          detail: 'The specified data could not be found.',
          errors: [`No ODS instance matching the available route values was found. Route values were: [${e.routeValues}]`],
          middleware: true,
        },
        correlationId,
      );
    case 'method-not-allowed':
      return reply(
        {
          status: 405,
          type: 'method-not-allowed',
          title: 'Method Not Allowed',
          detail: e.variant === 'method' ? `The endpoint of the request does not support the '${e.method}' method.` : METHOD_TEXT[e.variant],
          middleware: true,
        },
        correlationId,
      );
    case 'unsupported-media-type':
      return reply(
        {
          status: 415,
          type: 'unsupported-media-type',
          title: 'Unsupported Media Type',
          detail: 'The request construction was invalid.',
          errors: [e.missing ? "The 'Content-Type' header is missing." : "The value specified in the 'Content-Type' header is not supported by this host."],
          middleware: true,
        },
        correlationId,
      );
    case 'payload-too-large':
      // Kestrel refuses the body before any ODS code runs: a bare 413.
      return { status: 413, headers: { connection: 'close' } };
    case 'empty-body':
      if (e.op === 'put')
        return reply(
          {
            status: 400,
            type: 'bad-request:data-validation-failed',
            title: 'Data Validation Failed',
            detail: VALIDATION_DETAIL,
            validationErrors: { $: ['A non-empty request body is required.'] },
          },
          correlationId,
        );
      return reply(
        { status: 400, type: 'bad-request', title: 'Bad Request', detail: ERRORS_DETAIL, errors: ['A non-empty request body is required.'] },
        correlationId,
      );
    case 'malformed-json':
      return reply({ status: 400, type: 'bad-request', title: 'Bad Request', detail: ERRORS_DETAIL, errors: [e.message] }, correlationId);
    case 'id-in-body':
      return reply(
        {
          status: 400,
          type: 'bad-request:data-validation-failed',
          title: 'Data Validation Failed',
          detail: 'The request data was constructed incorrectly.',
          errors: ["Resource identifiers cannot be assigned by the client. The 'id' property should not be included in the request body."],
        },
        correlationId,
      );
    case 'invalid-id':
      return reply(
        {
          status: 400,
          type: 'bad-request:data-validation-failed',
          title: 'Data Validation Failed',
          detail: VALIDATION_DETAIL,
          validationErrors: { '$.id': [e.query ? `The value '${e.value}' is not valid for Id.` : `The value '${e.value}' is not valid.`] },
        },
        correlationId,
      );
    case 'validation':
      return reply(
        {
          status: 400,
          type: 'bad-request:data-validation-failed',
          title: 'Data Validation Failed',
          detail: VALIDATION_DETAIL,
          validationErrors: grouped(e.failures),
        },
        correlationId,
      );
    case 'parameter':
      return reply(
        {
          status: 400,
          type: 'bad-request:parameter-validation-failed',
          title: 'Parameter Validation Failed',
          detail: 'The request construction was invalid.',
          errors: [e.problem],
        },
        correlationId,
      );
    case 'claim-resource':
      return reply(
        {
          status: 403,
          type: 'security:authorization:access-denied:resource',
          title: 'Authorization Denied',
          detail: `${DENIED} You do not have permissions to access this data.`,
          errors: [
            `The API client's assigned claim set (currently '${e.claimSet}') must include one of the following resource claims to provide access to this resource: ${e.claims.map((c) => `'${c}'`).join(', ')}.`,
          ],
        },
        correlationId,
      );
    case 'claim-action':
      return reply(
        {
          status: 403,
          type: 'security:authorization:access-denied:action',
          title: 'Authorization Denied',
          detail: `${DENIED} You do not have permissions to perform the requested operation on the data.`,
          errors: [
            `The API client's assigned claim set (currently '${e.claimSet}') must grant permission of the '${e.action}' action on one of the following resource claims: ${e.claims.map((c) => `'${c}'`).join(', ')}.`,
          ],
        },
        correlationId,
      );
    case 'relationship':
      return reply(
        {
          status: 403,
          type: 'security:authorization',
          title: 'Authorization Denied',
          detail: `${DENIED}${e.hint !== undefined ? ` Hint: ${e.hint}` : ''}`,
          errors: [relationshipText(e.edOrgIds, e.properties)],
        },
        correlationId,
      );
    case 'namespace':
      return reply(
        { status: 403, type: 'security:authorization', title: 'Authorization Denied', detail: `${DENIED} ${namespaceText(e.prefixes, e.existing)}` },
        correlationId,
      );
    case 'unresolved-reference':
      return reply(
        { status: 409, type: 'data-conflict:unresolved-reference', title: 'Unresolved Reference', detail: `The referenced '${e.entity}' item does not exist.` },
        correlationId,
      );
    case 'dependent-item':
      return reply(
        {
          status: 409,
          type: 'data-conflict:dependent-item-exists',
          title: 'Dependent Item Exists',
          detail: `The requested action cannot be performed because this item is referenced by an existing '${e.entity}' item.`,
        },
        correlationId,
      );
    case 'key-change':
      return reply(
        {
          status: 400,
          type: 'bad-request:data-validation-failed:key-change-not-supported',
          title: 'Key Change Not Supported',
          detail: `Identifying values for the ${e.entity} data cannot be changed. Delete and recreate the item instead.`,
        },
        correlationId,
      );
    case 'non-unique':
      return reply(
        {
          status: 409,
          type: 'data-conflict:non-unique-identity',
          title: 'Identifying Values Are Not Unique',
          detail: 'The identifying value(s) of the item are the same as another item that already exists.',
        },
        correlationId,
      );
    case 'optimistic-lock':
      return reply(
        {
          status: 412,
          type: 'optimistic-lock-failed',
          title: 'Optimistic Lock Failed',
          detail: 'The item has been modified by another user.',
          errors: [
            "The resource item's etag value does not match what was specified in the 'If-Match' request header indicating that it has been modified by another client since it was last retrieved.",
          ],
        },
        correlationId,
      );
    case 'snapshot-not-found':
      return reply(
        {
          status: 404,
          type: 'not-found',
          title: 'Not Found',
          detail: 'Snapshot not found.',
          errors: ['The snapshot connection for the ODS has not been configured.'],
        },
        correlationId,
      );
    case 'snapshot-write':
      return reply(
        {
          status: 405,
          type: 'snapshots:method-not-allowed',
          title: 'Method Not Allowed',
          detail: 'Snapshots are read-only: the requested method cannot be used with the Use-Snapshot header.',
          middleware: true,
        },
        correlationId,
      );
    case 'too-many-tokens':
      return reply(
        {
          status: 429,
          type: 'security:authentication:too-many-tokens',
          title: 'Too Many Tokens',
          detail: 'The caller has authenticated too many times in too short of a time period.',
          errors: [`Too many access tokens have been requested (limit is ${e.limit}). Access tokens should be reused until they expire.`],
        },
        correlationId,
      );
    case 'too-many-requests':
      // What a gateway in front of the ODS answers: no body, a Retry-After.
      return { status: 429, headers: { 'retry-after': '1' } };
    case 'unavailable':
      return { status: 503, headers: { 'retry-after': '1' } };
    case 'system':
      return reply({ status: 500, type: 'system', title: 'System Error', detail: 'An unexpected error occurred on the server.' }, correlationId);
  }
}
