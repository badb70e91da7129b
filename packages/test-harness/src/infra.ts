import { inject } from 'vitest';

export interface TestInfra {
  kafkaBrokers: string[];
  /** A URL of the server's maintenance database; tests make their own databases from it. */
  databaseUrl: string;
  plan: { kafka: string; postgres: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    infra: TestInfra;
  }
}

/** What the global setup started. Fails loudly when a test runs without it: never skip. */
export function testInfra(): TestInfra {
  const infra = inject('infra');
  if (!infra) throw new Error('test infrastructure was not provided: run tests through the root vitest config');
  return infra;
}
