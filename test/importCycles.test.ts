/**
 * No import cycles anywhere in the tree (type-only imports count: a cycle of types is still a knot
 * to untie before code can move). Relative imports are read from the source text and resolved as
 * TypeScript resolves `.js` specifiers; a cycle is reported with its files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', '.data', '.tools', 'dist', 'docs', '.git']);
const SOURCE = /\.(ts|mts|js|mjs)$/;
const IMPORT = /(?:^|[\n;])\s*(?:import|export)\s[^'"`;]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : sourceFiles(path.join(dir, e.name));
    return SOURCE.test(e.name) && !e.name.endsWith('.d.ts') ? [path.join(dir, e.name)] : [];
  });
}

function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find((c) => SOURCE.test(c) && existsSync(c));
}

/** Strongly connected components of more than one file, or a file importing itself (Tarjan). */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      for (let w = stack.pop()!; ; w = stack.pop()!) {
        on.delete(w);
        scc.push(w);
        if (w === v) break;
      }
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('the import graph', () => {
  it('finds a cycle when there is one (the check can fail)', () => {
    expect(
      cyclesOf(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
    expect(
      cyclesOf(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('has no cycles in this tree', () => {
    const graph = new Map<string, string[]>();
    for (const file of sourceFiles(ROOT)) {
      const text = readFileSync(file, 'utf8');
      const targets = [...text.matchAll(IMPORT)].flatMap((m) => {
        const target = resolve(file, m[1] ?? m[2] ?? '');
        return target === undefined ? [] : [path.relative(ROOT, target)];
      });
      graph.set(path.relative(ROOT, file), targets);
    }
    expect(graph.size).toBeGreaterThan(200);
    expect(cyclesOf(graph)).toEqual([]);
  });
});
