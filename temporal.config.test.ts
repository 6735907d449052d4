import { describe, expect, it } from 'vitest';
import { connectionOptions, loadTemporalConfig } from './temporal.config.js';

describe('temporal.config', () => {
  it('defaults to the local dev server with the three task queues', () => {
    const c = loadTemporalConfig({});
    expect(c).toMatchObject({ address: '127.0.0.1:7233', external: false, namespace: 'default' });
    expect(Object.values(c.taskQueues)).toEqual(['edfi-publishing', 'edfi-dependency-retries', 'edfi-downloads']);
    expect(c.schedules.weekdayNightly.cron).toEqual(['0 22 * * 1-5']);
  });
  it('treats TEMPORAL_ADDRESS as an external cluster', () => {
    expect(loadTemporalConfig({ TEMPORAL_ADDRESS: 'temporal.district.internal:7233' })).toMatchObject({
      external: true,
      address: 'temporal.district.internal:7233',
    });
  });
  it('names every bad variable with what it expects', () => {
    expect(() => loadTemporalConfig({ TEMPORAL_ADDRESS: 'no-port', TEMPORAL_SCHEDULE_NIGHTLY_CRON: '22 * *' })).toThrow(
      /TEMPORAL_ADDRESS: expected host:port[\s\S]*TEMPORAL_SCHEDULE_NIGHTLY_CRON: expected one or more 5-field cron/,
    );
  });
  it('needs a client certificate and key together', () => {
    expect(() => loadTemporalConfig({ TEMPORAL_TLS_CERT_PATH: '/x.pem' })).toThrow(/must be set together/);
  });
  it('turns on TLS for a Temporal Cloud API key', () => {
    const c = loadTemporalConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct', TEMPORAL_API_KEY: 'k' });
    expect(connectionOptions(c)).toEqual({ address: 'ns.acct.tmprl.cloud:7233', apiKey: 'k', tls: true });
  });
});
