/** What every route handler of one sandbox instance shares. */
import type { DataStandard, EdfiModel } from '../edfi/model/types.js';
import type { AuthDeps } from './auth.js';
import type { ClientRegistry } from './clients.js';
import type { Faults } from './faults.js';
import type { ApiVersion } from './options.js';
import type { Tokens } from './auth.js';

export interface Core {
  readonly model: EdfiModel;
  readonly version: ApiVersion;
  readonly dataStandard: DataStandard;
  readonly teds: string | undefined;
  readonly strict: boolean;
  readonly maxBodyBytes: number;
  readonly pageLimit: number;
  readonly tokens: Tokens;
  readonly clients: ClientRegistry;
  readonly faults: Faults;
  readonly auth: AuthDeps;
  readonly yearSpecific: boolean;
  readonly schoolYears: readonly number[];
}
