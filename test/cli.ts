/** `npm run cli` as a user runs it: a child process against a listening API, its output collected. */
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

export interface Run {
  output(): string;
  readonly code: Promise<number | null>;
}

export function runCli(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'cli/main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { output: () => out, code: new Promise((resolve) => child.on('exit', resolve)) };
}

export async function untilOutput(run: Run, text: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!run.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`CLI never printed "${text}":\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
