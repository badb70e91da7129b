import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The contracts' tests are pure: this config runs them without the root config's global setup,
// which starts Kafka and PostgreSQL. The root `unit` project runs the same files in `npm test`.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['src/**/*.test.ts'],
  },
});
