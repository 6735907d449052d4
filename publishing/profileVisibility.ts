/**
 * The guide's UserProfileMappingOption: "available to each user" shows a profile to everyone;
 * "vendor-based" (and "vendor- or user-", which acts the same until per-user grants exist) shows
 * it only to people and API clients entering from its vendor — SIS users see SIS-sourced profiles,
 * HR-system users see HR-only profiles. Principals with no vendor (district IT) see every profile.
 */
import { REPLICA_OF, type ProfileSettings, type ProfileType } from './profileSettings.js';

export type Vendor = 'SIS' | 'HR';

export function profileVisibleTo(
  profile: { profileType: ProfileType; settings: Partial<ProfileSettings>; removedAt?: Date | null },
  principal: { vendor: Vendor | null },
): boolean {
  // A removed profile is gone for everyone until an admin restores it (Configure).
  if (profile.removedAt !== undefined && profile.removedAt !== null) return false;
  const option = profile.settings.UserProfileMappingOption ?? 'available-to-each-user';
  if (option === 'available-to-each-user' || principal.vendor === null) return true;
  return (REPLICA_OF[profile.profileType] === 'hr' ? 'HR' : 'SIS') === principal.vendor;
}
