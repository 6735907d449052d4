import net from 'node:net';
import { SetupError } from './errors.js';

/** Resolves when nothing listens on host:port; a clear SetupError naming the env var otherwise. */
export async function assertPortFree(port: number, what: string, envVar: string, host = '127.0.0.1'): Promise<void> {
  const inUse = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(true));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(false)));
  });
  if (inUse) {
    throw new SetupError(
      `Port ${port} for ${what} is already in use`,
      `stop whatever listens there (e.g. an earlier \`npm start\`: \`ss -ltnp 'sport = :${port}'\` shows it) or choose another port with ${envVar}=<port>`,
    );
  }
}

/** A port the OS reports free right now, for test runs that must not collide with `npm start`. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  // Below the kernel's ephemeral range (32768+ on Linux): a port handed out there can be taken by
  // any process's outgoing connection before a server (re)binds it — as a restarted Temporal dev
  // server once found its old gRPC port taken. Bound and released here, it is free now.
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = PRIVATE_LOW + Math.floor(Math.random() * (PRIVATE_HIGH - PRIVATE_LOW));
    if ((await bindable(port, host)) === port) return port;
  }
  return (await bindable(0, host)) ?? 0;
}

/** Where freePort looks first: registered-port space below Linux's ephemeral range. */
export const PRIVATE_LOW = 20_000;
export const PRIVATE_HIGH = 32_000;

/** Binds `port` (0: any) and releases it; answers the port bound, or undefined when it is taken. */
function bindable(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/** Polls until a TCP connect to host:port succeeds, or throws after timeoutMs. */
export async function waitForPort(port: number, host: string, timeoutMs: number, isDead: () => string | undefined = () => undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = isDead();
    if (reason !== undefined) throw new Error(reason);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on ${host}:${port} within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
