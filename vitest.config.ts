import { defineConfig } from 'vitest/config';

// One run, three kinds of test. The global setup decides once where Kafka and PostgreSQL come from
// (environment, Docker, or the local broker and machine/embedded PostgreSQL) and provides them to
// every test file; each file then makes its own database and topics.
const ignored = ['**/node_modules/**', '**/.tools/**', '**/.cache/**', '**/.data/**'];

export default defineConfig({
  test: {
    globalSetup: ['packages/test-harness/src/global-setup.ts'],
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...ignored, '**/*.int.test.ts', 'e2e/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: [...ignored, 'e2e/**'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          exclude: ignored,
          setupFiles: ['e2e/support/failure-marker.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
