import { describe, expect, it } from 'vitest';
import { districtsInReplica } from './replicas.js';

describe("reading a district's replica before it is kept", () => {
  it('answers a URL that cannot be parsed as unreadable, without echoing it (it holds a password)', async () => {
    const read = await districtsInReplica('postgres://reader:secret-pw@[::1');
    expect(read).toEqual({ unreadable: expect.stringContaining('Invalid URL') as unknown });
    expect(JSON.stringify(read)).not.toContain('secret-pw');
  });
});
