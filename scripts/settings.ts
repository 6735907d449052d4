/** Ports and paths of the local stack, from the environment, checked with a message per bad variable. */
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const schema = z.object({
  EDX_DATA_DIR: z.string().min(1).optional(),
  POSTGRES_PORT: port.default(5433),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  SANDBOX_PORT: port.default(8765),
  WORKER_METRICS_PORT: port.default(9464),
  WORKER_SDK_METRICS_PORT: port.default(9465),
  EDFI_BASE_URL: z.url({ message: 'expected the Ed-Fi API base URL, e.g. https://api.state.gov/odsedfiapi2025' }).optional(),
});

export interface LocalSettings {
  readonly dataDir: string;
  readonly postgresPort: number;
  readonly temporalPort: number;
  readonly temporalUiPort: number;
  readonly apiHost: string;
  readonly apiPort: number;
  readonly sandboxPort: number;
  /** The worker's Prometheus endpoint (ours and, appended, the Temporal SDK's served on the second port). */
  readonly workerMetricsPort: number;
  readonly workerSdkMetricsPort: number;
  /** An external Ed-Fi API: no local sandbox starts. */
  readonly edfiBaseUrl: string | undefined;
}

export function loadLocalSettings(root: string, env: NodeJS.ProcessEnv = process.env): LocalSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid settings in the environment:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    dataDir: path.resolve(root, e.EDX_DATA_DIR ?? '.data'),
    postgresPort: e.POSTGRES_PORT,
    temporalPort: e.TEMPORAL_PORT,
    temporalUiPort: e.TEMPORAL_UI_PORT,
    apiHost: e.API_HOST,
    apiPort: e.API_PORT,
    sandboxPort: e.SANDBOX_PORT,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    workerSdkMetricsPort: e.WORKER_SDK_METRICS_PORT,
    edfiBaseUrl: e.EDFI_BASE_URL,
  };
}
