/** Integration tests call the API as a real client would: with an API key of the role they need. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role, Vendor } from '../db/entities/auth.js';
import { createApiKey } from '../db/users.js';

export async function apiKeyHeader(
  orm: MikroORM,
  role: Role = 'admin',
  vendor: Vendor | null = null,
  leaId: string | null = null,
): Promise<{ authorization: string }> {
  const key = await createApiKey(orm.em.fork(), { name: `test ${role}`, role, vendor, leaId });
  return { authorization: `Bearer ${key.token}` };
}

/** `app.inject` with the given credentials on every request. */
export function asClient(app: FastifyInstance, headers: Record<string, string>): (opts: InjectOptions | string) => Promise<LightMyRequestResponse> {
  return (opts) => {
    const o: InjectOptions = typeof opts === 'string' ? { url: opts } : opts;
    return app.inject({ ...o, headers: { ...headers, ...(o.headers as Record<string, string> | undefined) } });
  };
}
