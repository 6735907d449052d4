/**
 * Which district a key serves. ODS/API 7.x says so through token introspection (`token_info`:
 * `education_organizations`, `claim_set`, `namespace_prefixes`); 6.1 cannot, so a read of the LEA
 * probes it (a relationship refusal names the key's claims). A key of another LEA gets a token and
 * reads descriptors like any other: only this check tells, before every record is refused.
 */
import { apiMessage, claimsNamed, denialOf } from './outcome.js';

export interface KeyScope {
  readonly educationOrganizationIds: readonly number[];
  /** The LEAs the key's education organizations belong to (schools name theirs). */
  readonly localEducationAgencyIds: readonly number[];
  readonly claimSet?: string;
  readonly namespacePrefixes: readonly string[];
}

const ids = (v: unknown): number[] => (typeof v === 'number' && Number.isSafeInteger(v) ? [v] : typeof v === 'string' && /^\d+$/.test(v) ? [Number(v)] : []);

/** A `token_info` answer, or undefined when it is not one. */
export function readTokenInfo(body: unknown): KeyScope | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { education_organizations?: unknown; claim_set?: { name?: unknown }; namespace_prefixes?: unknown };
  if (!Array.isArray(b.education_organizations)) return undefined;
  const orgs = b.education_organizations.filter((o): o is Record<string, unknown> => typeof o === 'object' && o !== null);
  return {
    educationOrganizationIds: orgs.flatMap((o) => ids(o.education_organization_id)),
    localEducationAgencyIds: orgs.flatMap((o) => ids(o.local_education_agency_id)),
    ...(typeof b.claim_set?.name === 'string' ? { claimSet: b.claim_set.name } : {}),
    namespacePrefixes: Array.isArray(b.namespace_prefixes) ? b.namespace_prefixes.filter((n): n is string => typeof n === 'string') : [],
  };
}

export interface LeaVerdict {
  readonly serves: boolean;
  /** For the Test result: which LEA the key serves, and what to do when it is not this one. */
  readonly message: string;
}

const list = (xs: readonly number[]): string => (xs.length === 0 ? 'none' : xs.slice(0, 5).join(', ') + (xs.length > 5 ? ', …' : ''));

/** Whether a key introspected on 7.x serves the profile's LEA: the LEA must be one of its education organizations. */
export function leaVerdictFromScope(scope: KeyScope, leaId: number): LeaVerdict {
  const about = [
    scope.claimSet !== undefined ? `claim set "${scope.claimSet}"` : undefined,
    scope.namespacePrefixes.length > 0 ? `namespaces ${scope.namespacePrefixes.join(', ')}` : undefined,
  ]
    .filter((t) => t !== undefined)
    .join('; ');
  const suffix = about === '' ? '' : ` (${about})`;
  if (scope.educationOrganizationIds.includes(leaId)) return { serves: true, message: `the key serves LEA ${leaId}${suffix}` };
  if (scope.educationOrganizationIds.length === 0)
    return {
      serves: false,
      message: `The key has no education organizations${suffix}: the ODS would refuse every record. Ask the state to associate the key with LEA ${leaId}, or enter the key issued for it.`,
    };
  const within = scope.localEducationAgencyIds.includes(leaId)
    ? ` — schools of LEA ${leaId}, not the LEA itself, so its district records would be refused`
    : '';
  return {
    serves: false,
    message: `The key serves education organization ${list(scope.educationOrganizationIds)}${within}, not this profile's LEA ${leaId}${suffix}: the ODS would refuse every record. Enter the key and secret the state issued for LEA ${leaId}, then Test again.`,
  };
}

/** Whether a key serves the LEA by its read of it (6.1, or 7.x before token introspection). */
export function leaVerdictFromRead(status: number, body: unknown, leaId: number): LeaVerdict {
  if (status === 200 && Array.isArray(body) && body.length > 0)
    return {
      serves: true,
      message: `the key reads LEA ${leaId} (this ODS/API cannot say which LEA a key serves; a publish refused for it says so on the dashboard)`,
    };
  if (status === 200)
    return {
      serves: true,
      message: `LEA ${leaId} is not in this ODS yet (this ODS/API cannot say which LEA a key serves; a publish refused for it says so on the dashboard)`,
    };
  const message = apiMessage(body);
  if (status === 403 && denialOf(message) === 'education-organization') {
    const claims = claimsNamed(message);
    return {
      serves: false,
      message: `The key is not associated with LEA ${leaId}${claims !== undefined ? ` (it holds ${claims})` : ''}: the ODS would refuse every record. Enter the key and secret the state issued for LEA ${leaId}, then Test again.`,
    };
  }
  if (status === 403)
    return { serves: false, message: `The key may not read LEA ${leaId}: ${message || 'HTTP 403'} Ask the state to check the key's claim set.` };
  return { serves: true, message: `the key's LEA could not be checked (reading LEA ${leaId} answered HTTP ${status})` };
}
