import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, PRIVATE_HIGH, PRIVATE_LOW } from './ports.js';

describe('freePort', () => {
  it("answers a bindable port below the kernel's ephemeral range, where no outgoing connection can take it before a server binds it", async () => {
    const port = await freePort();
    expect(port).toBeGreaterThanOrEqual(PRIVATE_LOW);
    expect(port).toBeLessThan(PRIVATE_HIGH);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: '127.0.0.1' }, resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
