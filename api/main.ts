/** The API + web UI process (`npm start` runs it as a child). */
import { MikroORM } from '@mikro-orm/postgresql';
import { resilientPool } from '../db/pool.js';
import { Client, Connection } from '@temporalio/client';
import { connectionOptions, temporalConfig } from '../temporal.config.js';
import { ormOptions } from '../db/orm.js';
import { loadSecretKey, secretBox } from '../db/secrets.js';
import { loadApiConfig } from './config.js';
import { buildServer } from './server.js';
import { exitWithParent } from '../scripts/stack/orphanGuard.js';
import { startTracing } from '../observability/tracing.js';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';

const config = loadApiConfig();
// OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT turns on traces (observability/tracing.ts).
const tracing = startTracing('edfi-exchange-api');
const secrets = secretBox(loadSecretKey());
const orm = await MikroORM.init(ormOptions(config.DATABASE_URL));
const connection = await Connection.connect(connectionOptions(temporalConfig));
// The SDK's client interceptor: each Temporal call is a span of the request that made it.
const temporal = new Client({ connection, namespace: temporalConfig.namespace, interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } });
// A few connections are plenty: the API only reads local code tables from the replica.
const sis = config.SIS_DATABASE_URL === undefined ? undefined : resilientPool({ connectionString: config.SIS_DATABASE_URL, max: 4, label: 'SIS replica' });
const hr = config.HR_DATABASE_URL === undefined ? undefined : resilientPool({ connectionString: config.HR_DATABASE_URL, max: 2, label: 'HR replica' });
// The db/ modules' statements (record lists, mappings, downloads); the ORM keeps its own pool for entities.
const db = resilientPool({ connectionString: config.DATABASE_URL, max: 6, label: 'app database (API)' });
const app = await buildServer({
  orm,
  db,
  temporal,
  temporalConfig,
  edfiBaseUrl: config.EDFI_BASE_URL,
  temporalUiUrl: config.TEMPORAL_UI_URL,
  signInHint: config.SIGN_IN_HINT,
  secrets,
  sis,
  hr,
  logger: process.env.API_LOG === '1',
});

try {
  await app.listen({ host: config.API_HOST, port: config.API_PORT });
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  console.error(
    code === 'EADDRINUSE'
      ? `Port ${config.API_PORT} for the API is already in use — choose another with API_PORT=<port>`
      : `The API could not listen: ${(err as Error).message}`,
  );
  process.exit(1);
}
console.log(`listening on http://${config.API_HOST}:${config.API_PORT}`);

let closing = false;
const close = (): void => {
  if (closing) return;
  closing = true;
  void (async () => {
    await app.close();
    await tracing?.shutdown();
    await connection.close();
    await sis?.end();
    await hr?.end();
    await db.end();
    await orm.close();
    process.exit(0);
  })();
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, close);
exitWithParent(close);
