/** The send thread itself (sendThread.ts): each lane's client under its connection limit, requests in, settlements out. */
import { parentPort } from 'node:worker_threads';
import { EdfiClient } from '../../edfi/client/api.js';
import { Semaphore } from './connectionLimit.js';
import { LANE_CLOSED, LoopLane } from './odsLane.js';
import type { FromThread, ToThread } from './sendThread.js';

type Observed = Array<[method: string, status: number, seconds: number]>;
const lanes = new Map<number, { readonly lane: LoopLane; readonly observed: Observed }>();
const port = parentPort;
if (port === null) throw new Error('sendThread.entry.ts runs as a worker thread (sendThread.ts starts it)');

port.on('message', (m: ToThread) => {
  if (m.kind === 'open') {
    const observed: Observed = [];
    const client = new EdfiClient({ ...m.options, observe: (method, status, seconds) => observed.push([method, status, seconds]) });
    lanes.set(m.lane, { lane: new LoopLane(client, new Semaphore(m.connections, m.adaptive)), observed });
    return;
  }
  const held = lanes.get(m.lane);
  if (m.kind === 'close') {
    lanes.delete(m.lane);
    // Its requests still under way keep the pool until they settle; a closed undici pool waits for them.
    void held?.lane.close();
    return;
  }
  const reply = (settled: Pick<FromThread, 'answer' | 'error'>): void => {
    const state = held?.lane;
    port.postMessage({
      id: m.id,
      ...settled,
      inFlight: state?.inFlight ?? 0,
      size: state?.size ?? 0,
      observed: held?.observed.splice(0) ?? [],
    } satisfies FromThread);
  };
  if (held === undefined) return reply({ error: { name: 'Error', message: LANE_CLOSED } });
  held.lane.request(m.request).then(
    (answer) => reply({ answer }),
    (err: unknown) => reply({ error: { name: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) } }),
  );
});
