import { defineConfig } from 'vitest/config';

// The package's own unit tests, without the root config's global setup: nothing here needs
// Kafka or PostgreSQL, so the kit can be tested before (or without) the infrastructure.
export default defineConfig({
  root: import.meta.dirname,
  test: {
    include: ['src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.int.test.ts'],
  },
});
