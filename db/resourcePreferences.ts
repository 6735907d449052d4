/** Storage of a profile's resource preferences: the toggle and the options each mapper declares, by catalog name. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ResourcePreferences } from '../resources/mapper.js';

type Conn = ReturnType<MikroORM['em']['getConnection']>;

/** The profile's stored preferences by catalog name (`calendars`); a resource with none stored is absent. */
export async function readResourcePreferences(conn: Conn, profileId: string): Promise<Map<string, ResourcePreferences>> {
  const rows = await conn.execute<Array<{ resource: string; enabled: boolean; options: Record<string, boolean> }>>(
    'SELECT resource, enabled, options FROM resource_preference WHERE profile_id = ?',
    [profileId],
  );
  return new Map(rows.map((r) => [r.resource, { enabled: r.enabled, options: r.options }]));
}

/** Saves what was given (the toggle, some options), keeping what was not. */
export async function saveResourcePreference(
  conn: Conn,
  profileId: string,
  resource: string,
  change: { readonly enabled?: boolean | undefined; readonly options?: Readonly<Record<string, boolean>> | undefined },
): Promise<void> {
  const options = JSON.stringify(change.options ?? {});
  await conn.execute(
    `INSERT INTO resource_preference (profile_id, resource, enabled, options, updated_at) VALUES (?, ?, coalesce(?, true), ?::jsonb, now())
     ON CONFLICT (profile_id, resource) DO UPDATE SET enabled = coalesce(?, resource_preference.enabled), options = resource_preference.options || ?::jsonb, updated_at = now()`,
    [profileId, resource, change.enabled ?? null, options, change.enabled ?? null, options],
  );
}

/** Catalog names of the resources the profile has switched off. */
export async function resourcesSwitchedOff(conn: Conn, profileId: string): Promise<string[]> {
  const rows = await conn.execute<Array<{ resource: string }>>('SELECT resource FROM resource_preference WHERE profile_id = ? AND NOT enabled', [profileId]);
  return rows.map((r) => r.resource);
}
