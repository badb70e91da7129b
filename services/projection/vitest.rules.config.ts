import { defineConfig } from 'vitest/config';

// The rules and thresholds are pure: no Kafka, no PostgreSQL, so no global setup.
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['src/rules/**/*.test.ts', 'src/thresholds/**/*.test.ts'],
    reporters: ['default'],
  },
});
