/** Creating and editing profiles: defaults filled in one place, and the profile type fixed once saved. */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { defaultSettings, type ProfileType, type SisProduct } from '../publishing/profileSettings.js';
import { ProfileSchema, type Profile } from './entities/profile.js';
import { LeaConnectionSchema, type LeaConnection } from './entities/configuration.js';

export interface NewProfile {
  readonly id?: string;
  readonly name: string;
  readonly profileType: ProfileType;
  readonly sisProduct?: SisProduct;
  readonly enabled?: boolean;
  readonly odsApiVersion?: Profile['odsApiVersion'];
  readonly dataStandard?: Profile['dataStandard'];
  readonly stateExtension?: Profile['stateExtension'];
  readonly apiUrl?: string | null;
  readonly authUrl?: string | null;
  readonly schoolYears: number[];
  readonly publishDataChanges?: boolean;
  readonly publishDownload?: boolean;
  readonly publishPublish?: boolean;
  /** The district it publishes for (null: the deployment's own). */
  readonly leaId?: string | null;
}

export type ProfileChanges = Partial<Omit<NewProfile, 'id'>>;

export class ProfileTypeFixedError extends Error {
  constructor(
    readonly from: ProfileType,
    readonly to: ProfileType,
  ) {
    super(`the profile type cannot change once a profile is saved (it is ${from}; you asked for ${to}) — add a new ${to} profile instead`);
  }
}

export function createProfile(em: EntityManager, input: NewProfile): Profile {
  const sisProduct = input.sisProduct ?? 'PowerSchool';
  const now = new Date();
  return em.create(ProfileSchema, {
    id: input.id ?? `p-${randomUUID().slice(0, 8)}`,
    name: input.name.trim(),
    enabled: input.enabled ?? true,
    profileType: input.profileType,
    sisProduct,
    // Texas 2024-25 onward: ODS/API 7.2 with DS 4.0 and TEDS 2025.2.1 (see the reference notes).
    odsApiVersion: input.odsApiVersion ?? '7.x',
    dataStandard: input.dataStandard ?? '4.0',
    stateExtension: input.stateExtension ?? 'none',
    apiUrl: input.apiUrl ?? null,
    authUrl: input.authUrl ?? input.apiUrl ?? null,
    schoolYears: [...new Set(input.schoolYears)].sort(),
    // The guide: leave Data Changes off during initial set-up; Download and Publish on.
    publishDataChanges: input.publishDataChanges ?? false,
    publishDownload: input.publishDownload ?? true,
    publishPublish: input.publishPublish ?? true,
    settings: defaultSettings({ profileType: input.profileType, sisProduct }),
    leaId: input.leaId ?? null,
    removedAt: null,
    createdAt: now,
    updatedAt: now,
  });
}

/** Applies an edit; a different profile type is refused, the same one is accepted as a no-op. */
export function editProfile(profile: Profile, changes: ProfileChanges): void {
  if (changes.profileType !== undefined && changes.profileType !== profile.profileType)
    throw new ProfileTypeFixedError(profile.profileType, changes.profileType);
  // An Authentication URL that only ever was the API URL (the default) moves with it: left behind,
  // tokens would keep coming from the old ODS and the new one would answer every request with 401.
  if (changes.apiUrl !== undefined && changes.authUrl === undefined && profile.authUrl === profile.apiUrl) profile.authUrl = changes.apiUrl;
  const { profileType: _fixed, schoolYears, name, ...rest } = changes;
  Object.assign(profile, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
  if (name !== undefined) profile.name = name.trim();
  if (schoolYears !== undefined) profile.schoolYears = [...new Set(schoolYears)].sort();
}

/**
 * The connection a profile publishes and downloads with: its district's, when it publishes for one
 * (another LEA's key would write under the wrong district); else the one enabled.
 */
export async function enabledConnectionOf(em: EntityManager, profile: Pick<Profile, 'id' | 'leaId'>): Promise<LeaConnection | null> {
  return em.findOne(LeaConnectionSchema, { profileId: profile.id, enabled: true, ...(profile.leaId !== null ? { leaId: profile.leaId } : {}) });
}
