import { EntitySchema } from '@mikro-orm/core';

export const ROLES = ['clerk', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** The guide's vendor-based authorization: a principal entering from the SIS or from the HR system. */
export const VENDORS = ['SIS', 'HR'] as const;
export type Vendor = (typeof VENDORS)[number];

export interface AppUser {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  vendor: Vendor | null;
  /** The one district this user works for; null: every district (the deployment's IT). */
  leaId: string | null;
  createdAt: Date;
}

export const AppUserSchema = new EntitySchema<AppUser>({
  name: 'AppUser',
  tableName: 'app_user',
  properties: {
    id: { type: 'string', primary: true, length: 64 },
    username: { type: 'string', length: 100, unique: true },
    passwordHash: { type: 'text', fieldName: 'password_hash' },
    role: { type: 'string', length: 16 },
    vendor: { type: 'string', length: 8, nullable: true },
    leaId: { type: 'string', length: 64, fieldName: 'lea_id', nullable: true },
    createdAt: { type: 'Date', fieldName: 'created_at', onCreate: () => new Date() },
  },
});

export interface ApiKey {
  /** The key's public prefix, shown in lists and logs. */
  id: string;
  name: string;
  keyHash: string;
  role: Role;
  vendor: Vendor | null;
  /** As for users: one district, or null for every district. */
  leaId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export const ApiKeySchema = new EntitySchema<ApiKey>({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    id: { type: 'string', primary: true, length: 16 },
    name: { type: 'string', length: 100 },
    keyHash: { type: 'string', length: 64, fieldName: 'key_hash' },
    role: { type: 'string', length: 16 },
    vendor: { type: 'string', length: 8, nullable: true },
    leaId: { type: 'string', length: 64, fieldName: 'lea_id', nullable: true },
    createdAt: { type: 'Date', fieldName: 'created_at', onCreate: () => new Date() },
    lastUsedAt: { type: 'Date', fieldName: 'last_used_at', nullable: true },
    revokedAt: { type: 'Date', fieldName: 'revoked_at', nullable: true },
  },
});

export interface WebSession {
  /** sha256 of the cookie value: a stolen database does not yield live sessions. */
  id: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
  createdAt: Date;
}

export const WebSessionSchema = new EntitySchema<WebSession>({
  name: 'WebSession',
  tableName: 'web_session',
  properties: {
    id: { type: 'string', primary: true, length: 64 },
    userId: { type: 'string', length: 64, fieldName: 'user_id' },
    csrfToken: { type: 'string', length: 64, fieldName: 'csrf_token' },
    expiresAt: { type: 'Date', fieldName: 'expires_at' },
    createdAt: { type: 'Date', fieldName: 'created_at', onCreate: () => new Date() },
  },
});
