/**
 * Reads an Ed-Fi API's resource dependency list (`/metadata/data/v3/dependencies`, anonymous):
 * every resource the API serves, descriptors included, in load order.
 */
import { request } from 'undici';
import { z } from 'zod';

const entries = z.array(z.object({ resource: z.string().regex(/^\/[\w-]+\/\w+$/), order: z.number().int(), operations: z.array(z.string()).optional() }));
export type DependencyEntries = z.infer<typeof entries>;

/** `{apiUrl}/metadata/data/v3/dependencies`, relative to the API's base URL. */
export function dependenciesUrl(apiUrl: string): URL {
  return new URL('metadata/data/v3/dependencies', apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
}

/** The API's dependency list, or an error saying why it could not be read. */
export async function fetchDependencies(apiUrl: string, timeoutMs = 20_000): Promise<DependencyEntries> {
  const url = dependenciesUrl(apiUrl);
  const res = await request(url, { headers: { accept: 'application/json' }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${url.href} answered HTTP ${res.statusCode}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${url.href} did not answer JSON`);
  }
  const parsed = entries.safeParse(json);
  if (!parsed.success) throw new Error(`${url.href} is not an Ed-Fi dependency list: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}`);
  return parsed.data;
}
