/** `npm run migrate`: apply pending app-DB migrations to DATABASE_URL (deployments run it before the API starts). */
import { migrateAppDatabase } from './orm.js';

const url = process.env.DATABASE_URL;
if (url === undefined || url === '') {
  console.error('DATABASE_URL is not set — set it to the app database, e.g. postgres://user:pass@host:5432/edfi_exchange');
  process.exit(2);
}
try {
  const applied = await migrateAppDatabase(url);
  console.log(applied.length === 0 ? 'app database is up to date' : `applied: ${applied.join(', ')}`);
} catch (err) {
  console.error(`migration failed, nothing was applied: ${(err as Error).message}`);
  process.exit(1);
}
