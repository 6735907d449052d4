/**
 * The Grafana dashboard, its provisioning and the Prometheus alert rules cannot run here (no
 * Grafana, no Prometheus): this proves they are in the formats those tools load and that every
 * series they read is one the exchange exports — a renamed metric fails here, not on a dark panel.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERIES } from './metrics.js';
import { NIGHTLY_CATEGORIES } from '../publishing/schedules.js';

const here = import.meta.dirname;
const read = (file: string): string => readFileSync(path.join(here, file), 'utf8');

/** Metric names in a PromQL expression: identifiers followed by a selector, a range or the end of a term. */
function seriesIn(expr: string): string[] {
  const names = expr.match(/\b(edx|temporal|nodejs|process|up)\w*(?=\s*[{[)\s/*>=<]|$)/g) ?? [];
  return [...new Set(names)];
}

const OURS = new Set<string>(Object.values(SERIES));
/** Ours, a histogram's parts, or what prom-client, the Temporal SDK and Prometheus itself export. */
function exported(name: string): boolean {
  if (OURS.has(name)) return true;
  const histogram = /^(.*)_(bucket|count|sum)$/.exec(name);
  if (histogram !== null && OURS.has(histogram[1])) return true;
  return name === 'up' || name.startsWith('temporal_') || name.startsWith('nodejs_') || name.startsWith('process_');
}

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(read('grafana/dashboards/edfi-exchange.json')) as {
    uid: string;
    title: string;
    panels: Array<{
      id: number;
      title: string;
      type: string;
      gridPos: { h: number; w: number; x: number; y: number };
      targets: Array<{ expr: string; refId: string }>;
    }>;
    templating: { list: Array<{ name: string }> };
  };

  it('is a dashboard model Grafana provisions: a uid, a title, panels with unique ids placed on the 24-column grid', () => {
    expect(dashboard.uid).toBe('edfi-exchange');
    expect(dashboard.title).toBe('edfi-exchange');
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const p of dashboard.panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      expect(p.targets.length, p.title).toBeGreaterThan(0);
    }
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['profile']);
  });

  it('reads only series the exchange exports, and shows every one of ours', () => {
    const used = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => seriesIn(t.expr))));
    for (const name of used) expect(exported(name), name).toBe(true);
    const ours = [...used].map((n) => n.replace(/_(bucket|count|sum)$/, '')).filter((n) => OURS.has(n));
    expect(new Set(ours)).toEqual(OURS);
  });

  it('is loaded by a file provider from where docker-compose mounts it, with the Prometheus data source it names', () => {
    const provider = parse(read('grafana/provisioning/dashboards/edfi-exchange.yml')) as {
      apiVersion: number;
      providers: Array<{ type: string; options: { path: string } }>;
    };
    expect(provider.apiVersion).toBe(1);
    expect(provider.providers[0]).toMatchObject({ type: 'file', options: { path: '/var/lib/grafana/dashboards' } });
    const sources = parse(read('grafana/provisioning/datasources/prometheus.yml')) as {
      apiVersion: number;
      datasources: Array<{ uid: string; type: string; url: string }>;
    };
    expect(sources.datasources[0]).toMatchObject({ uid: 'edx-prometheus', type: 'prometheus', url: 'http://prometheus:9090' });
    const compose = readFileSync(path.join(here, '..', 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('./observability/grafana/dashboards:/var/lib/grafana/dashboards');
    expect(compose).toContain('./observability/grafana/provisioning:/etc/grafana/provisioning');
  });
});

describe('the alert rules', () => {
  const rules = parse(read('prometheus/alerts.yml')) as {
    groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; for: string; labels: { severity: string }; annotations: { summary: string } }> }>;
  };
  const all = rules.groups.flatMap((g) => g.rules);

  it('page on what a district would: error rate, a stuck queue, a growing dependency backlog, ODS 5xx, Postgres or Temporal gone', () => {
    expect(all.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'EdxProfileErrorRate',
        'EdxQueueStuck',
        'EdxDependencyBacklogGrowing',
        'EdxOdsServerErrors',
        'EdxDatabaseUnreachable',
        'EdxTemporalUnreachable',
      ]),
    );
  });

  it('leave the nightly categories out of the SIS commit → ODS alert, as the dashboard does (their changes wait for the night)', () => {
    const slow = all.find((r) => r.alert === 'EdxChangesSlowToOds');
    const excluded = /category!~"([^"]+)"/.exec(slow?.expr ?? '')?.[1]?.split('|');
    expect(excluded?.sort()).toEqual([...NIGHTLY_CATEGORIES].sort());
    const dashboard = read('grafana/dashboards/edfi-exchange.json');
    expect(dashboard).toContain(`category!~\\"${excluded?.join('|')}\\"`);
  });

  it('are Prometheus rules: each with an expression over exported series, a duration, a severity and a summary', () => {
    for (const r of all) {
      expect(r.for, r.alert).toMatch(/^\d+[smh]$/);
      expect(['warning', 'critical'], r.alert).toContain(r.labels.severity);
      expect(r.annotations.summary, r.alert).not.toBe('');
      const names = seriesIn(r.expr);
      expect(names.length, r.alert).toBeGreaterThan(0);
      for (const name of names) expect(exported(name), `${r.alert}: ${name}`).toBe(true);
    }
  });

  it('are the file the Prometheus config loads, which scrapes the API with a key file and every worker replica', () => {
    const config = parse(read('prometheus/prometheus.yml')) as {
      rule_files: string[];
      scrape_configs: Array<{ job_name: string; authorization?: { credentials_file: string }; dns_sd_configs?: Array<{ names: string[]; port: number }> }>;
    };
    expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    const api = config.scrape_configs.find((c) => c.job_name === 'edfi-exchange-api');
    expect(api?.authorization?.credentials_file).toBe('/etc/prometheus/api-key');
    const workers = config.scrape_configs.find((c) => c.job_name === 'edfi-exchange-worker');
    expect(workers?.dns_sd_configs?.[0]).toEqual({ names: ['worker'], type: 'A', port: 9464 });
  });
});
