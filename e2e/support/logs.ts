import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { repoRoot } from '@syv/test-harness';

// Every e2e file writes its services' output to a log of its own; a failed test leaves a marker
// beside it, so that `.ci/run` can print the end of the log of each failed file and a flaky failure
// can be read from the CI output alone.

export const E2E_LOG_DIR = join(repoRoot, '.data', 'e2e-logs');

export function e2eLogPaths(testFile: string): { log: string; failed: string } {
  const name = basename(testFile).replace(/\.test\.ts$/, '');
  return { log: join(E2E_LOG_DIR, `${name}.log`), failed: join(E2E_LOG_DIR, `${name}.failed`) };
}

/** A fresh log for this file: the previous run's log and marker go. */
export function resetE2eLog(testFile: string): string {
  mkdirSync(E2E_LOG_DIR, { recursive: true });
  const paths = e2eLogPaths(testFile);
  rmSync(paths.failed, { force: true });
  return paths.log;
}

export function markE2eFailed(testFile: string): void {
  mkdirSync(E2E_LOG_DIR, { recursive: true });
  writeFileSync(e2eLogPaths(testFile).failed, '');
}
