import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { portIsFree, provisionInfra, stopLocalKafka } from '@syv/infra';
import { repoRoot } from './paths.js';
import type { TestInfra } from './infra.js';

const log = (msg: string) => console.log(`[test infra] ${msg}`);

// One broker and one PostgreSQL per test run, chosen by @syv/infra's resolver (environment,
// Docker, or the local broker with the machine's or an embedded PostgreSQL). Test files each make
// their own database and topics from what is provided here.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { port, dataDir, ownerFile } = await claimBrokerSlot();
  // A fresh broker log per run: test topics are throwaway and would otherwise pile up.
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const started = Date.now();
  const infra = await provisionInfra({ dataDir, kafkaPort: port, log });
  log(`${infra.describe()} ready in ${Date.now() - started} ms`);
  const provided: TestInfra = { kafkaBrokers: infra.kafkaBrokers, databaseUrl: infra.databaseUrl, plan: infra.plan };
  project.provide('infra', provided);
  return async () => {
    await infra.stop();
    rmSync(ownerFile, { force: true });
  };
}

/**
 * The local broker's port and directory for this run. `TEST_KAFKA_PORT` chooses them; otherwise the
 * first of a few slots whose owner (the process that last claimed it) is no longer running and
 * whose ports nothing else holds (a test run of another checkout), so two test runs on one machine
 * get a broker each instead of stopping each other's. A broker left behind in the slot by a run that
 * died is stopped first; one that belongs to a live run never is.
 */
async function claimBrokerSlot(): Promise<{ port: number; dataDir: string; ownerFile: string }> {
  const given = process.env.TEST_KAFKA_PORT;
  const candidates = given ? [Number(given)] : [19092, 19192, 19292, 19392];
  for (const port of candidates) {
    const dataDir = join(repoRoot, '.data', port === 19092 ? 'test-run' : `test-run-${port}`);
    const ownerFile = `${dataDir}.owner`;
    mkdirSync(join(dataDir, '..'), { recursive: true });
    if (!given && !claim(ownerFile)) continue;
    if (given) writeFileSync(ownerFile, String(process.pid));
    await stopLocalKafka({ dataDir, log }).catch(() => undefined);
    // The broker listens on the port and its controller on the next one.
    if (!given && !((await portIsFree(port)) && (await portIsFree(port + 1)))) {
      rmSync(ownerFile, { force: true });
      continue;
    }
    if (port !== candidates[0]) log(`port ${candidates[0]} belongs to another test run or process; this run uses ${port}`);
    return { port, dataDir, ownerFile };
  }
  throw new Error(`every local broker slot (${candidates.join(', ')}) is taken by a running test run or another process; set TEST_KAFKA_PORT to another port`);
}

/**
 * Takes the slot for this process, atomically: two runs starting together cannot both take it. A
 * slot whose owner no longer runs is freed first.
 */
function claim(ownerFile: string): boolean {
  if (ownerAlive(ownerFile)) return false;
  rmSync(ownerFile, { force: true });
  try {
    writeFileSync(ownerFile, String(process.pid), { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function ownerAlive(ownerFile: string): boolean {
  if (!existsSync(ownerFile)) return false;
  const pid = Number(readFileSync(ownerFile, 'utf8'));
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
