/** `npm run sandbox -- [flags]` (see cli.ts): the Ed-Fi sandbox on its own, until Ctrl-C. */
import { ConfigError } from './clients.js';
import { parseCli, USAGE } from './cli.js';
import { DEFAULT_CLIENT, startSandbox } from './server.js';

const parsed = parseCli(process.argv.slice(2));
if ('help' in parsed) {
  console.log(USAGE);
  process.exit(0);
}
if ('error' in parsed) {
  console.error(`sandbox: ${parsed.error}`);
  process.exit(2);
}
const o = parsed.options;
try {
  const sandbox = await startSandbox(o);
  console.log(
    `Ed-Fi sandbox (ODS/API ${o.apiVersion}, Data Standard ${o.dataStandard}, Texas extension ${o.texasExtension}${o.yearSpecific === true ? ', year-specific' : ''}) at ${sandbox.baseUrl}` +
      `\n  key ${DEFAULT_CLIENT.key}, secret ${DEFAULT_CLIENT.secret}${o.snapshotFile !== undefined ? `\n  data kept in ${o.snapshotFile}` : ''}`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void sandbox.close().then(() => process.exit(0)));
} catch (err) {
  if (err instanceof ConfigError) console.error(`sandbox: ${err.message}`);
  else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
    console.error(`sandbox: port ${o.port} is in use; stop what holds it or pick another with --port`);
  else if ((err as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL')
    console.error(`sandbox: cannot bind ${o.host}; use an address of this machine with --host (e.g. 127.0.0.1)`);
  else throw err;
  process.exit(2);
}
