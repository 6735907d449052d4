/**
 * Child processes of `npm start`: each one's output is streamed line by line with a prefix, and
 * every child is stopped (SIGTERM, then SIGKILL after a grace period) when the parent stops, so
 * Ctrl-C leaves no orphan behind.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import readline from 'node:readline';
import type { Readable } from 'node:stream';

const COLORS = [36, 35, 33, 32, 34, 31];
let colorIndex = 0;

export type LineSink = (line: string) => void;

/** Prefixes each line of a stream, e.g. `[temporal] …`; colours only on a TTY. */
export function prefixedSink(name: string, out: NodeJS.WritableStream = process.stdout): LineSink {
  const color = COLORS[colorIndex++ % COLORS.length] ?? 36;
  const tag = process.stdout.isTTY ? `\x1b[${color}m[${name}]\x1b[0m` : `[${name}]`;
  return (line) => {
    out.write(`${tag} ${line}\n`);
  };
}

export function pipeLines(stream: Readable | null, sink: LineSink): void {
  if (stream === null) return;
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', sink);
}

export interface ManagedChild {
  readonly name: string;
  readonly process: ChildProcess;
  /** Set once the child has exited: why, in words. */
  readonly exitReason: () => string | undefined;
  /** Resolves when the child has exited. */
  readonly exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
}

export function startChild(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions & { sink?: LineSink; keepTail?: number } = {},
): ManagedChild {
  const sink = options.sink ?? prefixedSink(name);
  const tail: string[] = [];
  const keep = options.keepTail ?? 30;
  const record: LineSink = (line) => {
    tail.push(line);
    if (tail.length > keep) tail.shift();
    sink(line);
  };
  // detached: the child leads its own process group, so stop() can signal its whole tree.
  const child = spawn(command, [...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  pipeLines(child.stdout, record);
  pipeLines(child.stderr, record);
  let reason: string | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (err) => {
      reason = `${name} could not start: ${err.message}`;
      resolve(null);
    });
    child.once('exit', (code, signal) => {
      reason = `${name} exited (${signal ?? `code ${code}`})${tail.length > 0 ? `; last output:\n    ${tail.slice(-8).join('\n    ')}` : ''}`;
      resolve(code);
    });
  });
  const signalTree = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  return {
    name,
    process: child,
    exitReason: () => reason,
    exited,
    async stop(graceMs = 10_000) {
      if (reason !== undefined) return;
      signalTree('SIGTERM');
      const timer = setTimeout(() => signalTree('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
