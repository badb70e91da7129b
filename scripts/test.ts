// `npm test`: every test (unit, integration, end-to-end) in one vitest run, then one plain summary
// line. The run fails when any test fails or when no test ran at all.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const resultsFile = join(root, '.test-results.json');
const args = process.argv.slice(2);

if (args.includes('--help')) {
  console.log(`usage: npm test [-- <vitest args>]

Runs every test once: unit (*.test.ts), integration (*.int.test.ts) and end-to-end (e2e/).
Kafka and PostgreSQL come from KAFKA_BROKERS / DATABASE_URL when set, else Docker when it answers,
else a local Kafka broker started from infra/kafka and the PostgreSQL at 127.0.0.1:5432 (or an
embedded one). Extra arguments go to vitest, e.g. \`npm test -- --project unit\`.`);
  process.exit(0);
}

rmSync(resultsFile, { force: true });
const vitest = spawnSync(
  // Started through `pnpm exec`, so node_modules/.bin (and vitest) is on PATH.
  'vitest',
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...args],
  { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : (process.env.FORCE_COLOR ?? '1') } },
);
if (vitest.error) {
  console.error(`could not run vitest: ${vitest.error.message}`);
  process.exit(1);
}

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTests: number;
}
if (!existsSync(resultsFile)) {
  console.error('vitest wrote no results: the run did not complete');
  process.exit(vitest.status || 1);
}
const report = JSON.parse(readFileSync(resultsFile, 'utf8')) as JsonReport;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`\nTests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
if (report.numTotalTests === 0) {
  console.error('no test ran: that is a failure, not a pass');
  process.exit(1);
}
process.exit(vitest.status ?? 1);
