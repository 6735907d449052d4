/**
 * What a request costs the worker on its way through the send thread, beside the plain generator:
 * the same distinct descriptor POSTs into one sandbox (its own process, so this process's CPU is
 * the client's alone), sent (a) by the plain generator (bench/lib/generator.ts: an undici pool,
 * 64 connections) and (b) through a send-thread lane with 64 adaptive connections, 2,000 at a time
 * as sendBatch asks for them. This process's CPU (every thread) per request for each, and their
 * ratio, alternating a and b `BENCH_ROUNDS` times (default 3) so the hour's speed touches both alike.
 * `npx tsx bench/sendThread.ts [requests per round, default 40000]`.
 */
import { sameJson } from './lib/generator.js';
import { KEY, SECRET, sandboxChild } from './lib/publishStack.js';
import { SendThread } from '../activities/publishing/sendThread.js';
import { BATCH_SIZE } from '../activities/publishing/shared.js';

const n = Number(process.argv[2] ?? 40_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 64;
const RESOURCE = 'academicSubjectDescriptors';

let next = 0;
/** Descriptors no round has sent before: each POST creates a record, as a first publish does. */
const freshDocs = (): string[] =>
  Array.from({ length: n }, () => {
    const i = next++;
    return JSON.stringify({ namespace: 'uri://bench.example/AcademicSubjectDescriptor', codeValue: `S${i}`, shortDescription: `Send ${i}` });
  });

/** CPU µs of this process (all its threads) per request, and requests a second, for one way of sending. */
async function measured(send: (docs: string[]) => Promise<void>): Promise<{ cpuUs: number; rate: number }> {
  const docs = freshDocs();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await send(docs);
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: (cpu.user + cpu.system) / docs.length, rate: docs.length / ((performance.now() - t0) / 1000) };
}

const { url, child } = await sandboxChild();
const thread = new SendThread();
try {
  const lane = thread.lane({ apiUrl: url, key: KEY, secret: SECRET, connections: CONNECTIONS }, CONNECTIONS, true);
  const viaThread = async (docs: string[]): Promise<void> => {
    for (let i = 0; i < docs.length; i += BATCH_SIZE) {
      const answers = await Promise.all(docs.slice(i, i + BATCH_SIZE).map((d) => lane.post(`ed-fi/${RESOURCE}`, d)));
      const refused = answers.find((a) => a.status !== 201);
      if (refused !== undefined) throw new Error(`the sandbox answered ${refused.status}: ${JSON.stringify(refused.body)}`);
    }
  };
  const viaGenerator = async (docs: string[]): Promise<void> => void (await sameJson(url, new Map([[RESOURCE, docs]]), { connections: CONNECTIONS }));
  // Warm both paths (the thread's start, the sandbox's JIT) before anything is counted.
  next = -2_000_000;
  await viaGenerator(freshDocs().slice(0, 2_000));
  await viaThread(freshDocs().slice(0, 4_000));
  next = 0;
  const ratios: number[] = [];
  for (let r = 1; r <= rounds; r++) {
    const plain = await measured(viaGenerator);
    const ours = await measured(viaThread);
    ratios.push(ours.cpuUs / plain.cpuUs);
    console.log(
      `round ${r}: plain generator ${plain.cpuUs.toFixed(1)} µs CPU a request (${plain.rate.toFixed(0)}/s); ` +
        `send thread ${ours.cpuUs.toFixed(1)} µs (${ours.rate.toFixed(0)}/s): ${(ours.cpuUs / plain.cpuUs).toFixed(2)}×`,
    );
  }
  const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
  console.log(`RESULT sendThread requests=${n} rounds=${rounds} cpu_ratio_mean=${mean.toFixed(2)} cpu_ratios=${ratios.map((x) => x.toFixed(2)).join(',')}`);
} finally {
  await thread.stop();
  child.kill();
}
