/**
 * A client and a worker connection to the test stack's Temporal dev server, opened before a test
 * file's tests and closed after them (the tests that run real workflows over stand-in activities).
 */
import { afterAll, beforeAll } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { testStack } from './stack.js';

export interface TemporalClients {
  readonly client: Client;
  /** For `Worker.create`. */
  readonly native: NativeConnection;
}

export function useTemporalClients(): TemporalClients {
  let connection: Connection | undefined;
  let client: Client | undefined;
  let native: NativeConnection | undefined;
  beforeAll(async () => {
    const stack = testStack();
    connection = await Connection.connect({ address: stack.temporalAddress });
    client = new Client({ connection, namespace: stack.namespace });
    native = await NativeConnection.connect({ address: stack.temporalAddress });
  });
  afterAll(async () => {
    await native?.close();
    await connection?.close();
  });
  const opened = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the Temporal connections open in beforeAll: use them inside a test');
    return v;
  };
  return {
    get client() {
      return opened(client);
    },
    get native() {
      return opened(native);
    },
  };
}
