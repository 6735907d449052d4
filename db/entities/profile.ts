import { EntitySchema } from '@mikro-orm/core';
import type { ProfileSettings, ProfileType, SisProduct } from '../../publishing/profileSettings.js';

export const ODS_API_VERSIONS = ['6.1', '7.x'] as const;
export const DATA_STANDARDS = ['4.0', '5.x'] as const;
export const STATE_EXTENSIONS = ['none', 'TX-2024.2.1', 'TX-2025.2.1', 'TX-2026.2.1'] as const;

/** A publishing profile: one target Ed-Fi API, the school years published to it, and how. */
export interface Profile {
  id: string;
  name: string;
  enabled: boolean;
  /** Fixed once saved (the guide's Edit dialog does not offer it). */
  profileType: ProfileType;
  sisProduct: SisProduct;
  /** Error formats differ: 6.1 `{"message"}`, 7.x Problem Details. */
  odsApiVersion: (typeof ODS_API_VERSIONS)[number];
  /** 4.0 publishes `parents`, 5.x `contacts`. */
  dataStandard: (typeof DATA_STANDARDS)[number];
  stateExtension: (typeof STATE_EXTENSIONS)[number];
  apiUrl: string | null;
  authUrl: string | null;
  /** School years by their ending year (2025 = 2024-2025), as Ed-Fi's schoolYearTypes do. */
  schoolYears: number[];
  /** The guide's three publishing switches. */
  publishDataChanges: boolean;
  publishDownload: boolean;
  publishPublish: boolean;
  settings: Partial<ProfileSettings>;
  /** The district (LEA) it publishes for; null: the deployment's own (one district, or set by its IT). */
  leaId: string | null;
  /** Set by Remove (Configure): hidden and not published, its catalog kept; Restore clears it. */
  removedAt: Date | null;
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
    sisProduct: { type: 'string', length: 16, fieldName: 'sis_product', default: 'PowerSchool' },
    odsApiVersion: { type: 'string', length: 8, fieldName: 'ods_api_version', default: '7.x' },
    dataStandard: { type: 'string', length: 8, fieldName: 'data_standard', default: '4.0' },
    stateExtension: { type: 'string', length: 16, fieldName: 'state_extension', default: 'none' },
    apiUrl: { type: 'string', length: 500, fieldName: 'api_url', nullable: true },
    authUrl: { type: 'string', length: 500, fieldName: 'auth_url', nullable: true },
    schoolYears: { type: 'json', fieldName: 'school_years' },
    publishDataChanges: { type: 'boolean', fieldName: 'publish_data_changes', default: false },
    publishDownload: { type: 'boolean', fieldName: 'publish_download', default: true },
    publishPublish: { type: 'boolean', fieldName: 'publish_publish', default: true },
    settings: { type: 'json', default: '{}' },
    leaId: { type: 'string', length: 64, fieldName: 'lea_id', nullable: true },
    removedAt: { type: 'Date', fieldName: 'removed_at', nullable: true },
    createdAt: { type: 'Date', fieldName: 'created_at', onCreate: () => new Date() },
    updatedAt: { type: 'Date', fieldName: 'updated_at', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
