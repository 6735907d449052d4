/**
 * The one rule every profile route applies: a profile the caller may not see (UserProfileMappingOption,
 * another district) is as if absent; and every LEA route: another district is as if absent.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { ProfileSchema, type Profile } from '../db/entities/profile.js';
import { districtOfNew, inCallersDistrict, profileVisibleTo } from '../publishing/profileVisibility.js';
import { LeaSchema, type Lea } from '../db/entities/configuration.js';
import type { Principal } from './auth/principal.js';

export async function findVisibleProfile(orm: MikroORM, profileId: string, principal: Principal | undefined): Promise<Profile | undefined> {
  const p = await orm.em.fork().findOne(ProfileSchema, { id: profileId });
  return p !== null && principal !== undefined && profileVisibleTo(p, principal) ? p : undefined;
}

export async function findCallersLea(orm: MikroORM, leaId: string, principal: Principal): Promise<Lea | undefined> {
  if (!inCallersDistrict(leaId, principal)) return undefined;
  return (await orm.em.fork().findOne(LeaSchema, { id: leaId })) ?? undefined;
}

/** The district of a new profile, user or key (districtOfNew), its LEA checked to exist; else the 404 to answer. */
export async function districtForNew(
  orm: MikroORM,
  asked: string | null | undefined,
  principal: Principal,
): Promise<{ leaId: string | null } | { notFound: string }> {
  const chosen = districtOfNew(asked, principal);
  if ('refused' in chosen) return { notFound: chosen.refused };
  if (chosen.leaId !== null && (await orm.em.fork().count(LeaSchema, { id: chosen.leaId })) === 0)
    return { notFound: `no LEA "${chosen.leaId}": add the district first (Configuration → LEA)` };
  return chosen;
}
