/** The app database: mikro-orm over Postgres, with the migrations in db/migrations. */
import { MikroORM, defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ProfileSchema } from './entities/profile.js';
import { BasicSettingsSchema, LeaConnectionSchema, LeaSchema } from './entities/configuration.js';
import { ApiKeySchema, AppUserSchema, WebSessionSchema } from './entities/auth.js';
import { migrationsList } from './migrations/index.js';

export const entities = [ProfileSchema, BasicSettingsSchema, LeaSchema, LeaConnectionSchema, AppUserSchema, ApiKeySchema, WebSessionSchema];

export function ormOptions(databaseUrl: string, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, tableName: 'mikro_orm_migrations', silent: true },
    pool: { min: 0, max: 10 },
    ...overrides,
  });
}

export async function openOrm(databaseUrl: string): Promise<MikroORM> {
  return MikroORM.init(ormOptions(databaseUrl));
}

/** Applies every pending migration in one transaction; returns the names it applied. */
export async function migrateAppDatabase(databaseUrl: string): Promise<string[]> {
  const orm = await MikroORM.init(ormOptions(databaseUrl));
  try {
    const applied = await orm.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}
