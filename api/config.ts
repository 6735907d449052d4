/** The API process's settings, from the environment, with a message naming each bad variable. */
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL'),
  SIS_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL of the SIS replica')
    .optional(),
  HR_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "expected a postgres:// URL of the district's HR system replica")
    .optional(),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  EDFI_BASE_URL: z.url({ message: 'expected the Ed-Fi API base URL, e.g. https://api.district.org/v7.2/api' }).optional(),
  TEMPORAL_UI_URL: z.url().optional(),
  /** Shown under the sign-in form: where a first admin's password is kept (npm start sets it). */
  SIGN_IN_HINT: z.string().min(1).max(300).optional(),
});

export type ApiConfig = z.infer<typeof schema>;

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new Error(`Invalid API settings in the environment:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`);
}
