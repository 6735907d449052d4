/**
 * Who sees what. The guide's UserProfileMappingOption: "available to each user" shows a profile to
 * everyone; "vendor-based" (and "vendor- or user-", which acts the same until per-user grants exist)
 * shows it only to people and API clients entering from its vendor — SIS users see SIS-sourced
 * profiles, HR-system users see HR-only profiles. Principals with no vendor (district IT) see every
 * profile. On a deployment of many districts, a principal of one district sees nothing of another.
 */
import { REPLICA_OF, type ProfileSettings, type ProfileType } from './profileSettings.js';

export type Vendor = 'SIS' | 'HR';

/** The caller's district, if it has one: null sees every district (the deployment's IT). */
export interface DistrictScoped {
  readonly leaId: string | null;
}

/**
 * Whether a thing of district `leaId` is the caller's to see. A thing of no district (a profile of
 * the whole deployment) is only for callers of no district: a district's clerk must not see it.
 */
export function inCallersDistrict(leaId: string | null | undefined, principal: DistrictScoped): boolean {
  return principal.leaId === null || leaId === principal.leaId;
}

export function profileVisibleTo(
  profile: { profileType: ProfileType; settings: Partial<ProfileSettings>; removedAt?: Date | null; leaId?: string | null },
  principal: { vendor: Vendor | null } & DistrictScoped,
): boolean {
  // A removed profile is gone for everyone until an admin restores it (Configure).
  if (profile.removedAt !== undefined && profile.removedAt !== null) return false;
  if (!inCallersDistrict(profile.leaId, principal)) return false;
  const option = profile.settings.UserProfileMappingOption ?? 'available-to-each-user';
  if (option === 'available-to-each-user' || principal.vendor === null) return true;
  return (REPLICA_OF[profile.profileType] === 'hr' ? 'HR' : 'SIS') === principal.vendor;
}

/**
 * The district something new (a profile, a user, an API key) belongs to: the one asked for, or the
 * caller's own. A caller of one district cannot make anything for another district, nor anything
 * that sees every district — that would be a way out of its district.
 */
export function districtOfNew(asked: string | null | undefined, principal: DistrictScoped): { leaId: string | null } | { refused: string } {
  if (principal.leaId === null) return { leaId: asked ?? null };
  if (asked === undefined || asked === principal.leaId) return { leaId: principal.leaId };
  return { refused: asked === null ? 'only an admin of the whole deployment makes things for every district' : `no LEA "${asked}"` };
}

/**
 * Whether a replica entered for a district holds that district: one holding another district's data
 * would publish it under this district's key.
 */
export function replicaDistrictRefusal(numbersInReplica: readonly string[], stateNumber: string): string | undefined {
  if (numbersInReplica.includes(stateNumber)) return undefined;
  return numbersInReplica.length === 0
    ? `the replica holds no district yet: load district ${stateNumber} into it first`
    : `the replica holds district ${numbersInReplica.join(', ')}, not ${stateNumber}: enter the replica of this district`;
}
