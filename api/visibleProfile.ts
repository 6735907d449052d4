/** The one rule every profile route applies: a profile the caller may not see (UserProfileMappingOption) is as if absent. */
import type { MikroORM } from '@mikro-orm/postgresql';
import { ProfileSchema, type Profile } from '../db/entities/profile.js';
import { profileVisibleTo } from '../publishing/profileVisibility.js';
import type { Principal } from './auth/principal.js';

export async function findVisibleProfile(orm: MikroORM, profileId: string, principal: Principal | undefined): Promise<Profile | undefined> {
  const p = await orm.em.fork().findOne(ProfileSchema, { id: profileId });
  return p !== null && principal !== undefined && profileVisibleTo(p, principal) ? p : undefined;
}
