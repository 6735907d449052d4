/** `npm run sandbox -- [--port 8765] [--host 127.0.0.1] [--data-standard 4.0|5.x] [--texas 2025.2.1|none]`: the sandbox on its own. */
import { parseArgs } from 'node:util';
import { DEFAULT_CLIENT, startSandbox } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8765' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-standard': { type: 'string', default: '4.0' },
    texas: { type: 'string', default: '2025.2.1' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('Usage: npm run sandbox -- [--port 8765] [--host 127.0.0.1] [--data-standard 4.0|5.x] [--texas 2024.2.1|2025.2.1|2026.2.1|none]');
  process.exit(0);
}
const port = Number(values.port);
const ds = values['data-standard'];
const texas = values.texas;
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number; got "${values.port}"`);
if (ds !== '4.0' && ds !== '5.x') throw new Error(`--data-standard must be 4.0 or 5.x; got "${ds}"`);
if (texas !== 'none' && texas !== '2024.2.1' && texas !== '2025.2.1' && texas !== '2026.2.1') throw new Error(`--texas must be 2024.2.1, 2025.2.1, 2026.2.1 or none; got "${texas}"`);
const sandbox = await startSandbox({ port, host: values.host, dataStandard: ds, ...(texas !== 'none' ? { texasExtension: texas } : {}) });
console.log(`Ed-Fi sandbox at ${sandbox.baseUrl} (key ${DEFAULT_CLIENT.key}, secret ${DEFAULT_CLIENT.secret})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void sandbox.close().then(() => process.exit(0)));
