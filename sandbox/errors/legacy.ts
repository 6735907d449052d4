/**
 * ODS/API 6.1: errors as `{"message": …}` (model-binding failures add `modelState`); answers written
 * by ASP.NET itself (401, unknown route, 405, 415, 413) have no body. Facts: edfi-api-facts.md §3–§4.
 */
import { relationshipText, namespaceText, type ApiError, type Failure, type Reply } from './shapes.js';

const camel = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

function message(status: number, text: string, extra?: Record<string, unknown>): Reply {
  return { status, body: JSON.stringify({ message: text, ...extra }), contentType: 'application/json' };
}

function modelState(failures: readonly Failure[]): Reply {
  const state: Record<string, string[]> = {};
  for (const f of failures) (state[`request.${f.path.replace(/^\$\.?/, '')}`] ??= []).push(f.legacy ?? f.message);
  return message(400, 'The request is invalid.', { modelState: state });
}

function validation(entity: string, failures: readonly Failure[]): Reply {
  const binding = failures.filter((f) => f.binding === true);
  if (binding.length > 0) return modelState(binding);
  const plain = failures.filter((f) => f.descriptor === undefined);
  if (plain.length > 0) return message(400, `Validation of '${entity}' failed.${plain.map((f) => `\n\t${f.legacy ?? f.message}`).join('')}`);
  // Descriptors are resolved after validation, one at a time: the first unknown one is the answer.
  const d = failures[0]?.descriptor;
  return message(400, d !== undefined ? `Unable to resolve value '${d.value}' to an existing '${d.entity}' resource.` : `Validation of '${entity}' failed.`);
}

const METHOD_TEXT = {
  'post-with-id': 'Resource items can only be updated using PUT. To "upsert" an item in the resource collection using POST, remove the "id" from the route.',
  'put-collection':
    'Resource collections cannot be replaced. To "upsert" an item in the collection, use POST. To update a specific item, use PUT and include the "id" in the route.',
  'delete-collection': 'Resource collections cannot be deleted. To delete a specific item, use DELETE and include the "id" in the route.',
} as const;

export function renderLegacy(e: ApiError): Reply {
  switch (e.kind) {
    case 'unauthenticated':
      return { status: 401, headers: { 'www-authenticate': 'Bearer' } };
    case 'path-not-found':
      return { status: 404 };
    case 'item-not-found':
      // The GET text is not in the fact sheet; 6.1's NotFoundException default wording.
      return message(
        404,
        e.op === 'get' ? 'Resource was not found.' : e.op === 'put' ? 'Resource to update was not found.' : 'Resource to delete was not found.',
      );
    case 'ods-instance-not-found':
      return message(404, `No ODS instance matching the available route values was found. Route values were: [${e.routeValues}]`);
    case 'method-not-allowed':
      return e.variant === 'method' ? { status: 405 } : message(405, METHOD_TEXT[e.variant]);
    case 'unsupported-media-type':
      return { status: 415 };
    case 'payload-too-large':
      return { status: 413, headers: { connection: 'close' } };
    case 'empty-body':
      return e.op === 'put'
        ? message(400, 'The request is invalid.', { modelState: { 'request.': ['A non-empty request body is required.'] } })
        : message(400, 'A non-empty request body is required.');
    case 'malformed-json':
      return message(400, e.message);
    case 'id-in-body':
      return message(400, 'Resource identifiers cannot be assigned by the client.');
    case 'invalid-id':
      return message(400, 'The request is invalid.', { modelState: { id: [`The value '${e.value}' is not valid.`] } });
    case 'validation':
      return validation(e.entity, e.failures);
    case 'parameter':
      return message(400, e.legacy);
    case 'claim-resource':
      return message(
        403,
        `Access to the resource could not be authorized. Are you missing a claim? This resource can be authorized by the following claims: ${e.claims.join(', ')}`,
      );
    case 'claim-action':
      return message(403, `Access to the resource could not be authorized for the requested action '${e.action}'.`);
    case 'relationship':
      return message(403, `Authorization denied. ${relationshipText(e.edOrgIds, e.properties)}`);
    case 'namespace':
      return message(403, `Access to the requested data could not be authorized. ${namespaceText(e.prefixes, e.existing)}`);
    case 'unresolved-reference':
      return message(409, `The value supplied for the related '${camel(e.entity)}' resource does not exist.`);
    case 'dependent-item':
      return message(
        409,
        `The resource (or a subordinate entity of the resource) cannot be deleted because it is a dependency of the '${camel(e.entity)}' entity.`,
      );
    case 'key-change':
      return message(400, `Identifying values for the ${e.entity} data cannot be changed. Delete and recreate the item instead.`);
    case 'non-unique':
      return message(409, 'The identifying value(s) of the item are the same as another item that already exists.');
    case 'optimistic-lock':
      return message(412, 'Resource was modified by another consumer.');
    case 'snapshot-not-found':
      return message(404, 'Snapshot not found.');
    case 'snapshot-write':
      return { status: 405 };
    case 'too-many-tokens':
      return message(429, `Too many access tokens have been requested (limit is ${e.limit}). Access tokens should be reused until they expire.`);
    case 'too-many-requests':
      return { status: 429, headers: { 'retry-after': '1' } };
    case 'unavailable':
      return { status: 503, headers: { 'retry-after': '1' } };
    case 'system':
      return message(500, 'An unexpected error occurred on the server.');
  }
}
