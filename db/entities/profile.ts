import { EntitySchema } from '@mikro-orm/core';

/** The guide's profile types; fixed once a profile is saved. */
export const PROFILE_TYPES = ['SIS', 'SIS+HR', 'HR', 'HR-from-SIS'] as const;
export type ProfileType = (typeof PROFILE_TYPES)[number];

/**
 * A publishing profile: one target Ed-Fi API and the school years published to it. Later
 * migrations add the connection, settings and publishing switches the configuration issue names.
 */
export interface Profile {
  id: string;
  name: string;
  enabled: boolean;
  profileType: ProfileType;
  /** School years by their ending year (2025 = 2024-2025), as Ed-Fi's schoolYearTypes do. */
  schoolYears: number[];
  createdAt: Date;
  updatedAt: Date;
}

export const ProfileSchema = new EntitySchema<Profile>({
  name: 'Profile',
  tableName: 'profile',
  properties: {
    id: { type: 'string', primary: true, length: 64 },
    name: { type: 'string', length: 100 },
    enabled: { type: 'boolean', default: true },
    profileType: { type: 'string', length: 16, fieldName: 'profile_type' },
    schoolYears: { type: 'json', fieldName: 'school_years' },
    createdAt: { type: 'Date', fieldName: 'created_at', onCreate: () => new Date() },
    updatedAt: { type: 'Date', fieldName: 'updated_at', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
