import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { provisionInfra, stopLocalKafka } from '@syv/infra';
import { repoRoot } from './paths.js';
import type { TestInfra } from './infra.js';

// One broker and one PostgreSQL per test run, chosen by @syv/infra's resolver (environment,
// Docker, or the local broker with the machine's or an embedded PostgreSQL). Test files each make
// their own database and topics from what is provided here.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // A fresh broker log per run: test topics are throwaway and would otherwise pile up. A run on
  // another broker port (TEST_KAFKA_PORT) has its own directory, so two runs side by side do not
  // stop each other's broker.
  const port = process.env.TEST_KAFKA_PORT;
  const dataDir = join(repoRoot, '.data', port ? `test-run-${port}` : 'test-run');
  await stopLocalKafka({ dataDir, log: (msg) => console.log(`[test infra] ${msg}`) }).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const started = Date.now();
  const infra = await provisionInfra({
    dataDir,
    kafkaPort: Number(port ?? 19092),
    log: (msg) => console.log(`[test infra] ${msg}`),
  });
  console.log(`[test infra] ${infra.describe()} ready in ${Date.now() - started} ms`);
  const provided: TestInfra = { kafkaBrokers: infra.kafkaBrokers, databaseUrl: infra.databaseUrl, plan: infra.plan };
  project.provide('infra', provided);
  return async () => {
    await infra.stop();
  };
}
