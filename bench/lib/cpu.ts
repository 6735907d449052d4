/**
 * CPU time by component from /proc (Linux): which processes a benchmark's seconds went to — this
 * process (the API and the benchmark), the worker and sandbox children, Postgres, the Temporal server — in clock ticks
 * summed over every process of that kind, so a phase can be charged per record.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

export type CpuSample = Map<string, number>;

/** utime + stime of every process, grouped: `self`, `sandbox` and `worker` (by pid), or the process name (`postgres`, `temporal`). */
export function cpuSample(pids: { readonly sandbox?: number | undefined; readonly worker?: number | undefined }): CpuSample {
  const out: CpuSample = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // Postgres backends come and go: the postmaster's reaped children (cutime + cstime) keep their time.
    const ticks = Number(fields[11]) + Number(fields[12]) + (comm === 'postgres' ? Number(fields[13]) + Number(fields[14]) : 0);
    const pid = Number(entry);
    const group =
      pid === process.pid
        ? 'self'
        : pid === pids.sandbox
          ? 'sandbox'
          : pid === pids.worker
            ? 'worker'
            : comm === 'postgres'
              ? 'postgres'
              : comm === 'temporal'
                ? 'temporal'
                : undefined;
    if (group !== undefined) out.set(group, (out.get(group) ?? 0) + ticks);
  }
  return out;
}

/** CPU seconds each group used between two samples. */
export function cpuSpent(before: CpuSample, after: CpuSample): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of after) out.set(k, (v - (before.get(k) ?? 0)) / TICKS_PER_SECOND);
  return out;
}
