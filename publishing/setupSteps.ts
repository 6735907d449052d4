/**
 * The guide's setup order for a new profile — connection → test → enable → download → mapping →
 * publish — as steps with their state, read from what the exchange already knows. The dashboard
 * shows them until they are done, and the first step not done says what a publish would meet.
 */

export const SETUP_STEPS = ['connection', 'test', 'enable', 'download', 'mapping', 'publish'] as const;
export type SetupStepId = (typeof SETUP_STEPS)[number];

/** done; todo (the next thing to do, or later); problem (tried and failed: fix first); unknown (cannot be read here). */
export type SetupStepState = 'done' | 'todo' | 'problem' | 'unknown';

/** Where a step is done in the web UI. */
export type SetupPage = 'configure' | 'download' | 'mapping' | 'dashboard';

export interface SetupStep {
  readonly id: SetupStepId;
  readonly label: string;
  readonly state: SetupStepState;
  readonly detail: string;
  readonly page: SetupPage;
}

/** What the exchange knows of one of the profile's LEA connections. */
export interface ConnectionFacts {
  readonly leaId: string;
  readonly enabled: boolean;
  readonly lastTestOk: boolean | null;
  readonly lastTestMessage: string | null;
  /** The test counts only for the key and secret it tested. */
  readonly testedCurrentSecret: boolean;
  readonly setupProblem: string | null;
}

export interface SetupFacts {
  readonly profileName: string;
  readonly connections: readonly ConnectionFacts[];
  /** The profile's Download switch. */
  readonly downloadOn: boolean;
  /** The download categories this profile's type offers, and the state of each for the school year. */
  readonly downloadCategories: readonly string[];
  readonly downloads: ReadonlyArray<{ readonly category: string; readonly status: string; readonly message: string | null }>;
  /** Code sets state reporting needs with unmapped codes; undefined when the replica cannot be read. */
  readonly blockingCodeSets: ReadonlyArray<{ readonly label: string; readonly unmapped: number }> | undefined;
  /** Records published for the school year. */
  readonly published: number;
}

const step = (id: SetupStepId, label: string, page: SetupPage, state: SetupStepState, detail: string): SetupStep => ({ id, label, page, state, detail });

function connectionStep(f: SetupFacts): SetupStep {
  const leas = f.connections.map((c) => c.leaId).join(', ');
  return f.connections.length === 0
    ? step('connection', 'Enter the LEA connection', 'configure', 'todo', 'Enter the LEA and the key and secret the state issued for it.')
    : step('connection', 'Enter the LEA connection', 'configure', 'done', `Connected to LEA ${leas}.`);
}

function testStep(f: SetupFacts): SetupStep {
  const passed = f.connections.filter((c) => c.lastTestOk === true && c.testedCurrentSecret);
  if (passed.length > 0) return step('test', 'Test the connection', 'configure', 'done', 'The last test passed.');
  const failed = f.connections.find((c) => c.lastTestOk === false);
  if (failed !== undefined)
    return step(
      'test',
      'Test the connection',
      'configure',
      'problem',
      `The last test failed: ${failed.lastTestMessage ?? 'no answer'}. Fix it and test again.`,
    );
  return step('test', 'Test the connection', 'configure', 'todo', 'Save and Test the connection.');
}

function enableStep(f: SetupFacts): SetupStep {
  const problem = f.connections.find((c) => c.enabled && c.setupProblem !== null);
  if (problem !== undefined)
    return step('enable', 'Enable the connection', 'configure', 'problem', `A publish met a set-up problem: ${problem.setupProblem}. Test again once fixed.`);
  if (f.connections.some((c) => c.enabled)) return step('enable', 'Enable the connection', 'configure', 'done', 'Enabled: the profile publishes.');
  return step('enable', 'Enable the connection', 'configure', 'todo', 'Enable the connection once its test passes (Enable is offered only then).');
}

function downloadStep(f: SetupFacts): SetupStep {
  if (!f.downloadOn)
    return step('download', 'Download from the state', 'download', 'todo', `Download is switched off for "${f.profileName}": turn it on in the profile.`);
  const failed = f.downloads.find((d) => d.status === 'failed');
  if (failed !== undefined)
    return step(
      'download',
      'Download from the state',
      'download',
      'problem',
      `${failed.category} failed: ${failed.message ?? 'no reason given'}. Download again.`,
    );
  const missing = f.downloadCategories.filter((c) => !f.downloads.some((d) => d.category === c && d.status === 'done'));
  if (missing.length === 0) return step('download', 'Download from the state', 'download', 'done', `Downloaded: ${f.downloadCategories.join(', ')}.`);
  const running = f.downloads.some((d) => d.status === 'running' || d.status === 'waiting');
  return step('download', 'Download from the state', 'download', 'todo', `${running ? 'Downloading' : 'Not downloaded yet'}: ${missing.join(', ')}.`);
}

function mappingStep(f: SetupFacts): SetupStep {
  if (f.blockingCodeSets === undefined)
    return step(
      'mapping',
      'Map the local codes',
      'mapping',
      'unknown',
      'The replica of the profile’s source system cannot be read here, so its codes cannot be counted.',
    );
  if (f.blockingCodeSets.length === 0) return step('mapping', 'Map the local codes', 'mapping', 'done', 'Nothing blocks state reporting.');
  const sets = f.blockingCodeSets.map((s) => `${s.label} (${s.unmapped} unmapped)`).join(', ');
  return step('mapping', 'Map the local codes', 'mapping', 'todo', `Unmapped codes are published as local descriptors the state does not report: ${sets}.`);
}

function publishStep(f: SetupFacts): SetupStep {
  return f.published > 0
    ? step('publish', 'Publish', 'dashboard', 'done', `${f.published.toLocaleString('en-US')} records published this school year.`)
    : step('publish', 'Publish', 'dashboard', 'todo', 'Publish the Organization group first, top to bottom (each category’s ⋮ → Now – All).');
}

/** The guide's setup order with each step's state. */
export function setupSteps(f: SetupFacts): SetupStep[] {
  return [connectionStep(f), testStep(f), enableStep(f), downloadStep(f), mappingStep(f), publishStep(f)];
}

/**
 * Why a publish cannot work yet, or null: a run without an enabled connection fails at once, so the
 * dashboard's menus say this instead of queueing it.
 */
export function publishBlocker(profileName: string, connections: readonly Pick<ConnectionFacts, 'enabled'>[]): string | null {
  if (connections.length === 0) return `"${profileName}" has no LEA connection yet: enter the key and secret on Configure, Test, then Enable.`;
  if (!connections.some((c) => c.enabled)) return `"${profileName}" has no enabled LEA connection: Test it on Configure, then Enable.`;
  return null;
}
