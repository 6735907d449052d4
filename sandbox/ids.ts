/**
 * Resource ids: 32 lowercase hex characters (the ODS's GUID "N" format). Cut from a pooled random
 * buffer: flat 48-byte strings, where `randomUUID().replace(…)` leaves ~200 bytes per id behind.
 */
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(16 * 4096);
let offset = pool.length;

export function newId(): string {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('hex', offset, offset + 16);
  offset += 16;
  return id;
}
