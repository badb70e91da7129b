import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// infra's own tests, runnable on their own: no global setup, because these tests start (and
// check the stopping of) the very brokers and servers that the root config's setup would provide.
export default defineConfig({
  root: dirname(fileURLToPath(import.meta.url)),
  test: {
    include: ['src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.cache/**', '**/.data/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Each integration file starts a JVM or a PostgreSQL; on two cores, one at a time.
    fileParallelism: false,
  },
});
