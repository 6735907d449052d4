import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadClientsFile } from './clients.js';
import { parseCli } from './cli.js';
import { loadFaultsFile } from './faults.js';
import { startSandbox } from './server.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('npm run sandbox flags', () => {
  it('default to 7.x, DS 4.0, TEDS 2025.2.1 on 127.0.0.1:8765', () => {
    expect(parseCli([])).toEqual({ options: { port: 8765, host: '127.0.0.1', apiVersion: '7.x', dataStandard: '4.0', texasExtension: '2025.2.1' } });
  });

  it('map every flag to an option', () => {
    const r = parseCli([
      '--port',
      '0',
      '--api-version',
      '6.1',
      '--data-standard',
      '5.x',
      '--texas',
      'none',
      '--clients',
      'c.json',
      '--snapshot',
      's.ndjson',
      '--faults',
      'f.json',
      '--year-specific',
      '--school-years',
      '2025,2026',
      '--admin-token',
      't',
      '--token-lifetime',
      '60',
      '--strict',
      '--no-seed',
    ]);
    expect(r).toEqual({
      options: {
        port: 0,
        host: '127.0.0.1',
        apiVersion: '6.1',
        dataStandard: '5.x',
        texasExtension: 'none',
        clientsFile: 'c.json',
        snapshotFile: 's.ndjson',
        faultsFile: 'f.json',
        yearSpecific: true,
        schoolYears: [2025, 2026],
        adminToken: 't',
        tokenLifetimeSeconds: 60,
        strict: true,
        seed: false,
      },
    });
  });

  it('say what to fix for a bad flag', () => {
    expect(parseCli(['--api-version', '7'])).toEqual({ error: '--api-version must be 7.x or 6.1; got "7"' });
    expect(parseCli(['--data-standard', '5'])).toEqual({ error: '--data-standard must be 4.0 or 5.x; got "5"' });
    expect(parseCli(['--texas', '2023'])).toEqual({ error: '--texas must be 2024.2.1, 2025.2.1, 2026.2.1 or none; got "2023"' });
    expect(parseCli(['--port', 'http'])).toEqual({ error: '--port must be a port number between 0 and 65535; got "http"' });
    expect(parseCli(['--school-years', '2025'])).toEqual({ error: '--school-years needs --year-specific' });
    expect(parseCli(['--year-specific', '--school-years', '25'])).toMatchObject({
      error: expect.stringContaining('--school-years must be years 2000–2099') as unknown,
    });
    expect(parseCli(['--bogus'])).toMatchObject({ error: expect.stringMatching(/Unknown option '--bogus'[\s\S]*--help/) as unknown });
    expect(parseCli(['-h'])).toEqual({ help: true });
  });
});

describe('clients and faults files', () => {
  it('load a good clients file, with defaults for what it leaves out', () => {
    const p = file(
      'ok.json',
      JSON.stringify({
        clients: [
          { key: 'a', secret: 'b' },
          { key: 'c', secret: 'd', claimSet: 'SIS Vendor', educationOrganizationIds: [255901] },
        ],
      }),
    );
    expect(loadClientsFile(p, [149913])).toEqual([
      {
        key: 'a',
        secret: 'b',
        claimSet: 'Ed-Fi Sandbox',
        educationOrganizationIds: [149913],
        namespacePrefixes: ['uri://ed-fi.org', 'uri://tea.texas.gov'],
        approved: true,
      },
      {
        key: 'c',
        secret: 'd',
        claimSet: 'SIS Vendor',
        educationOrganizationIds: [255901],
        namespacePrefixes: ['uri://ed-fi.org', 'uri://tea.texas.gov'],
        approved: true,
      },
    ]);
  });

  it('name the file, the entry and the fix for a bad one', () => {
    expect(() => loadClientsFile(path.join(dir, 'missing.json'), [])).toThrow(/The clients file .*missing\.json could not be read \(ENOENT\); check the path/);
    expect(() => loadClientsFile(file('syntax.json', '{"clients": ['), [])).toThrow(/is not valid JSON .*; fix the syntax/);
    expect(() => loadClientsFile(file('shape.json', '{"client": []}'), [])).toThrow(/must hold \{"clients":\[…\]\} or an array of clients/);
    expect(() => loadClientsFile(file('nokey.json', '[{"secret":"x"}]'), [])).toThrow(/nokey\.json: clients\[0\]\.key must be a non-empty string/);
    expect(() => loadClientsFile(file('ids.json', '[{"key":"a","secret":"b","educationOrganizationIds":"255901"}]'), [])).toThrow(
      /clients\[0\]\.educationOrganizationIds must be an array of positive integers, e\.g\. \[149913\]; got "255901"/,
    );
    expect(() => loadClientsFile(file('claims.json', '[{"key":"a","secret":"b","claimSet":"Admin"}]'), [])).toThrow(
      /clients\[0\]\.claimSet "Admin" is not a claim set this sandbox knows; use one of: "Ed-Fi Sandbox", "SIS Vendor"/,
    );
    expect(() => loadClientsFile(file('dup.json', '[{"key":"a","secret":"b"},{"key":"a","secret":"c"}]'), [])).toThrow(/clients\[1\]\.key "a" appears twice/);
    expect(() => loadFaultsFile(file('faults.json', '{"rules":[{"route":"/","reset":"often"}]}'))).toThrow(
      /faults\.json\.rules\[0\]\.reset must be a rate between 0 and 1/,
    );
  });

  it('startSandbox refuses a bad clients file before listening', async () => {
    await expect(startSandbox({ clientsFile: file('bad.json', '[{"key":""}]') })).rejects.toThrow(/clients\[0\]\.key must be a non-empty string/);
  });
});

describe('npm run sandbox', () => {
  it('exits 2 with the message alone (no stack) for a bad flag or a bad clients file', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'main.ts'), ...args], { encoding: 'utf8', timeout: 30_000 });
    const flag = run('--api-version', '8');
    expect([flag.status, flag.stderr.trim()]).toEqual([2, 'sandbox: --api-version must be 7.x or 6.1; got "8"']);
    const clients = run('--port', '0', '--clients', file('cli-bad.json', '{"clients":[{"key":"k"}]}'));
    expect(clients.status).toBe(2);
    expect(clients.stderr.trim()).toMatch(/^sandbox: .*cli-bad\.json: clients\[0\]\.secret must be a non-empty string$/);
  });
});
