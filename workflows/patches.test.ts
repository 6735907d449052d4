/**
 * Every `patched()` branch in the workflows is listed in README's "Retiring a `patched()` branch",
 * so the support engineer who retires them after a release finds each one there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

function patchIds(): string[] {
  const ids = new Set<string>();
  for (const file of readdirSync(path.join(ROOT, 'workflows')).filter((f) => f.endsWith('.ts') && !f.includes('.test.'))) {
    for (const m of readFileSync(path.join(ROOT, 'workflows', file), 'utf8').matchAll(/\bpatched\('([^']+)'\)/g)) ids.add(m[1]);
  }
  return [...ids].sort();
}

describe('patched() branches', () => {
  it('are each named in README’s plan for retiring them', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('**Retiring a `patched()` branch**');
    expect(start).toBeGreaterThan(0);
    const plan = readme.slice(start, readme.indexOf('\n5. ', start));
    const ids = patchIds();
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => !plan.includes(`\`${id}\``))).toEqual([]);
  });
});
