import { describe, expect, it } from 'vitest';
import * as registered from '../workflows/index.js';
import { WORKFLOW_NAMES, type Workflows } from './contract.js';

describe('the Temporal contract', () => {
  it('names only workflows the worker registers, with the signatures it declares', () => {
    // Compile-time half: the registered functions must fit the contract's signatures (tsc runs in npm test).
    const bySignature: Workflows = registered;
    for (const name of WORKFLOW_NAMES) expect(typeof bySignature[name], name).toBe('function');
    expect(Object.keys(registered)).toEqual(expect.arrayContaining([...WORKFLOW_NAMES]));
  });
});
