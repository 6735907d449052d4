/** Storage of a profile's resource preferences: the toggle and the options each mapper declares, by catalog name. */
import type pg from 'pg';
import type { ResourcePreferences } from '../resources/mapper.js';

type Conn = pg.Pool | pg.ClientBase;

/** The profile's stored preferences by catalog name (`calendars`); a resource with none stored is absent. */
export async function readResourcePreferences(conn: Conn, profileId: string): Promise<Map<string, ResourcePreferences>> {
  const { rows } = await conn.query<{ resource: string; enabled: boolean; options: Record<string, boolean> }>(
    'SELECT resource, enabled, options FROM resource_preference WHERE profile_id = $1',
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
  await conn.query(
    `INSERT INTO resource_preference (profile_id, resource, enabled, options, updated_at) VALUES ($1, $2, coalesce($3, true), $4::jsonb, now())
     ON CONFLICT (profile_id, resource) DO UPDATE SET enabled = coalesce($3, resource_preference.enabled), options = resource_preference.options || $4::jsonb, updated_at = now()`,
    [profileId, resource, change.enabled ?? null, options],
  );
}

/** Catalog names of the resources the profile has switched off. */
export async function resourcesSwitchedOff(conn: Conn, profileId: string): Promise<string[]> {
  const { rows } = await conn.query<{ resource: string }>('SELECT resource FROM resource_preference WHERE profile_id = $1 AND NOT enabled', [profileId]);
  return rows.map((r) => r.resource);
}
