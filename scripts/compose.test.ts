/**
 * docker-compose.yml cannot run here (no Docker engine); this proves it is well-formed and
 * wired: every service it depends on exists with the health check the condition needs, and
 * `docker compose config` accepts it wherever the docker CLI has the compose plugin.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DYNAMIC_CONFIG, dynamicConfigFlags } from './stack/temporalServer.js';

const root = path.resolve(import.meta.dirname, '..');
const file = path.join(root, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: { replicas: string | number };
  environment?: Record<string, string>;
}

const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as { services: Record<string, Service> };

describe('docker-compose.yml', () => {
  it('has Postgres, Temporal, its UI, the API, workers and the migration job', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'temporal', 'temporal-ui', 'api', 'worker', 'migrate']));
    expect(compose.services.worker?.deploy?.replicas).toBe('${WORKER_REPLICAS:-2}');
  });

  it('only waits on services that exist and can report what it waits for', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dep, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = compose.services[dep];
        expect(target, `${name} depends on missing service ${dep}`).toBeDefined();
        if (condition === 'service_healthy') expect(target?.healthcheck, `${dep} needs a healthcheck for ${name}`).toBeDefined();
      }
    }
  });

  it('turns on fairness between districts in the Temporal server, as npm start’s dev server has it', () => {
    const temporal = compose.services.temporal as Service & { volumes?: string[] };
    const target = temporal.environment?.DYNAMIC_CONFIG_FILE_PATH;
    const mount = temporal.volumes?.find((v) => v.split(':')[1] === target);
    expect(mount, 'the dynamic config file is mounted where DYNAMIC_CONFIG_FILE_PATH says').toBeDefined();
    const config = parse(readFileSync(path.join(root, mount?.split(':')[0] ?? ''), 'utf8')) as Record<string, Array<{ value: unknown }>>;
    expect(config['matching.enableFairness']).toEqual([{ value: true }]);
    // The same values npm start's dev server is given, flag for flag.
    expect(Object.fromEntries(Object.entries(config).map(([key, [{ value }]]) => [key, value]))).toEqual(DYNAMIC_CONFIG);
    expect(dynamicConfigFlags()).toEqual([
      '--dynamic-config-value',
      'matching.enableFairness=true',
      '--dynamic-config-value',
      'history.transferProcessorMaxPollRPS=1000',
      '--dynamic-config-value',
      'matching.numTaskqueueWritePartitions=1',
    ]);
  });

  it('runs the app roles from files that exist, with the settings they require', () => {
    for (const role of ['api', 'worker', 'migrate']) {
      const service = compose.services[role];
      const entry = service?.command?.at(-1);
      expect(entry && readFileSync(path.join(root, entry), 'utf8').length).toBeGreaterThan(0);
      expect(service?.environment?.DATABASE_URL).toMatch(/^postgres:\/\//);
      expect(service?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    }
  });

  it('is accepted by `docker compose config` (or docker-compose) where the tool is installed', (ctx) => {
    // The docker CLI's compose plugin first, then the standalone docker-compose (Debian's package).
    const tools: Array<[string, string[]]> = [
      ['docker', ['compose']],
      ['docker-compose', []],
    ];
    const tool = tools.find(([cmd, pre]) => spawnSync(cmd, [...pre, 'version'], { encoding: 'utf8' }).status === 0);
    if (tool === undefined) {
      ctx.skip('neither `docker compose` nor `docker-compose` is installed here');
      return;
    }
    const [cmd, pre] = tool;
    const r = spawnSync(cmd, [...pre, '-f', file, 'config', '--quiet'], {
      encoding: 'utf8',
      env: { ...process.env, SIS_DATABASE_URL: 'postgres://x:y@sis:5432/sis' },
    });
    expect(r.stderr.trim()).toBe('');
    expect(r.status).toBe(0);
  });
});
