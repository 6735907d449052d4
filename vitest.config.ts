import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing running; `integration` gets a real Postgres and a real
// Temporal dev server from test/globalSetup.ts (or the ones named in the environment).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**', '.data/**', '.tools/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**', '.data/**', '.tools/**'],
          globalSetup: ['test/globalSetup.ts'],
          setupFiles: ['test/setupIntegration.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Two cores: one integration file at a time keeps Temporal and Postgres responsive.
          fileParallelism: false,
        },
      },
    ],
  },
});
