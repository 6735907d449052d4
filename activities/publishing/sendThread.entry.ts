/** The send thread itself (sendThread.ts): each lane's client under its connection limit, requests in, settlements out. */
import { parentPort } from 'node:worker_threads';
import { EdfiClient, type OdsTarget } from '../../edfi/client/api.js';
import { Semaphore } from './connectionLimit.js';
import { LANE_CLOSED, LoopLane } from './odsLane.js';
import type { Exchange, FromThread, ToThread } from './sendThread.js';

const lanes = new Map<number, LoopLane>();
const port = parentPort;
if (port === null) throw new Error('sendThread.entry.ts runs as a worker thread (sendThread.ts starts it)');

/**
 * Settlements go back together, once per turn of the thread's event loop: each answer is read in
 * a callback of its own, so they are gathered until the loop's I/O is done (setImmediate), ~8 a
 * message in bench/sendThread.ts. The thread does nothing else, so none waits long.
 */
let outbox: FromThread[] = [];
const settled = (m: FromThread): void => {
  outbox.push(m);
  if (outbox.length === 1) setImmediate(flush);
};
function flush(): void {
  const out = outbox;
  outbox = [];
  port?.postMessage(out);
}

port.on('message', (batch: readonly ToThread[]) => {
  for (const m of batch) take(m);
});

function take(m: ToThread): void {
  if (m.kind === 'open') {
    lanes.set(m.lane, new LoopLane(new EdfiClient({ ...m.options, spans: false }), new Semaphore(m.connections, m.adaptive)));
    return;
  }
  const held = lanes.get(m.lane);
  if (m.kind === 'close') {
    lanes.delete(m.lane);
    // Its requests in flight finish (a closed undici pool waits for them); any still queued fail as
    // network failures (their records are errors with no answer, for Retry – Errors).
    void held?.close();
    return;
  }
  const exchanges: Exchange[] = [];
  const reply = (answered: Pick<FromThread, 'answer' | 'error'>): void => {
    settled({ id: m.id, ...answered, size: held?.size ?? 0, exchanges });
  };
  if (held === undefined) return reply({ error: { name: 'Error', message: LANE_CLOSED } });
  const heard = (method: string, status: number, seconds: number, url: OdsTarget): void =>
    void exchanges.push([method, status, seconds, url.pathname, url.host, Date.now()]);
  held.request(m.request, heard).then(
    (answer) => reply({ answer }),
    (err: unknown) => reply({ error: { name: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) } }),
  );
}
