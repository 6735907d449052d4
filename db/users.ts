/** Creating people and API clients: the only place their secrets exist in clear is the return value. */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword, newApiKey } from '../api/auth/credentials.js';
import { ApiKeySchema, AppUserSchema, WebSessionSchema, type AppUser, type Role, type Vendor } from './entities/auth.js';

export async function createUser(
  em: EntityManager,
  input: { username: string; password: string; role: Role; vendor?: Vendor | null; leaId?: string | null },
): Promise<AppUser> {
  const user = em.create(AppUserSchema, {
    id: randomUUID(),
    username: input.username.trim().toLowerCase(),
    passwordHash: await hashPassword(input.password),
    role: input.role,
    vendor: input.vendor ?? null,
    leaId: input.leaId ?? null,
    createdAt: new Date(),
  });
  await em.flush();
  return user;
}

/** Removes a person and ends their web sessions, together: no session outlives its user. */
export async function removeUser(em: EntityManager, user: AppUser): Promise<void> {
  await em.transactional(async (tx) => {
    await tx.nativeDelete(WebSessionSchema, { userId: user.id });
    await tx.nativeDelete(AppUserSchema, { id: user.id });
  });
}

/** Returns the key's token: shown once, never stored. */
export async function createApiKey(
  em: EntityManager,
  input: { name: string; role: Role; vendor?: Vendor | null; leaId?: string | null },
): Promise<{ id: string; token: string }> {
  const key = newApiKey();
  em.create(ApiKeySchema, {
    id: key.id,
    name: input.name,
    keyHash: key.hash,
    role: input.role,
    vendor: input.vendor ?? null,
    leaId: input.leaId ?? null,
    createdAt: new Date(),
    lastUsedAt: null,
    revokedAt: null,
  });
  await em.flush();
  return { id: key.id, token: key.token };
}
