import { describe, expect, it } from 'vitest';
import { unreachableBecause } from './pool.js';

describe('unreachableBecause', () => {
  it('names a database that did not answer: refused, gone, shut down, out of connections', () => {
    expect(unreachableBecause(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(unreachableBecause(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe('57P01');
    expect(unreachableBecause(Object.assign(new Error('sorry, too many clients already'), { code: '53300' }))).toBe('53300');
    expect(unreachableBecause(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe('08006');
    expect(unreachableBecause(new Error('Connection terminated unexpectedly'))).toBe('Connection terminated unexpectedly');
    expect(unreachableBecause(new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })]))).toBe('ECONNREFUSED');
  });

  it('leaves every other error alone: a bad query is not an outage', () => {
    expect(unreachableBecause(Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' }))).toBeUndefined();
    expect(unreachableBecause(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeUndefined();
    expect(unreachableBecause(new Error('something else'))).toBeUndefined();
    expect(unreachableBecause('text')).toBeUndefined();
  });
});
