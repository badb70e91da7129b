#!/usr/bin/env node
// Entry point behind `npm start`, `npm test`, `npm run kafka`, `npm run token` and `npm run audit`.
// Plain Node with no dependencies, because it runs before anything is installed: it fetches the
// pinned pnpm into .tools/, installs the workspace from the lockfile, then hands over to TypeScript.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = rootPkg.packageManager.replace(/^pnpm@/, '');
const toolsDir = join(root, '.tools');
const pnpmBin = join(toolsDir, 'node_modules', '.bin', 'pnpm');

const usage = `usage: node scripts/bootstrap.mjs <command> [args]

  install         install pinned pnpm, the workspace dependencies and the Kafka broker's jars
  start           start Kafka, PostgreSQL (when needed) and every service, in the foreground
  test [args]     run every test (unit, integration, end-to-end); args go to vitest
  kafka <cmd>     the local Kafka broker: fetch | start | stop | status (see --help)
  token [args]    mint a development JWT (see --help)
  audit [args]    the auditors' tool: history, as-of, replay, access log (see --help)`;

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (res.error) {
    console.error(`[bootstrap] could not run ${cmd}: ${res.error.message}`);
    process.exit(1);
  }
  return res.status ?? 1;
}

function requireTool(cmd, args, why) {
  const res = spawnSync(cmd, args, { stdio: 'ignore' });
  if (res.error || res.status !== 0) {
    console.error(`[bootstrap] ${cmd} was not found on PATH. ${why}`);
    process.exit(1);
  }
}

function ensurePnpm() {
  const installed = join(toolsDir, 'node_modules', 'pnpm', 'package.json');
  if (existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === pnpmVersion) return;
  console.log(`[bootstrap] installing pnpm ${pnpmVersion} into .tools/`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const status = run(npm, ['install', '--prefix', toolsDir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${pnpmVersion}`], { stdio: ['inherit', 2, 2] });
  if (status !== 0) process.exit(status);
}

function pnpm(args, opts) {
  return run(pnpmBin, args, opts);
}

function installDependencies() {
  ensurePnpm();
  // Install output goes to stderr so that commands such as `token` keep a clean stdout.
  const status = pnpm(['install', '--frozen-lockfile', '--reporter=append-only'], { stdio: ['inherit', 2, 2] });
  if (status !== 0) {
    console.error('[bootstrap] pnpm install failed');
    process.exit(status);
  }
}

/**
 * Runs a long-lived TypeScript entry point and waits for it. Ctrl-C reaches the whole foreground
 * process group, so the child gets SIGINT from the terminal itself and this process only waits;
 * SIGTERM may be sent to this process alone (`kill`), so it is passed on, and the child takes the
 * copy it also gets from a process-group SIGTERM as the same stop.
 *
 * The child is node with tsx as a loader, not the tsx CLI: the CLI runs the script in a process
 * of its own, passes signals on again, and sends SIGKILL when the script does not confirm a signal
 * within milliseconds, which a busy or stopping script can miss, leaving what it started unowned.
 * node_modules/.bin goes on PATH, as `pnpm exec` would put it.
 */
function tsx(script, args) {
  return new Promise((resolve) => {
    const PATH = [join(root, 'node_modules', '.bin'), process.env.PATH].filter(Boolean).join(delimiter);
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, stdio: 'inherit', env: { ...process.env, PATH } });
    const onInt = () => {};
    const onTerm = () => child.kill('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    child.on('error', (err) => {
      console.error(`[bootstrap] could not run ${script}: ${err.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal ? 128 + 2 : 1));
    });
  });
}

const [command, ...rest] = process.argv.slice(2);
// The commands that run one TypeScript entry point, once the dependencies are installed.
const entryPoints = {
  start: 'scripts/start.ts',
  test: 'scripts/test.ts',
  kafka: 'infra/src/cli.ts',
  token: 'packages/service-kit/src/auth/mint-token-cli.ts',
  audit: 'services/projection/src/cli/main.ts',
};

switch (command) {
  case 'install': {
    installDependencies();
    requireTool('java', ['-version'], 'The local Kafka broker needs a Java 17+ runtime (or set KAFKA_BROKERS, or run Docker).');
    requireTool('mvn', ['-v'], 'Maven is needed once, to fetch the Kafka broker jars from Maven Central.');
    process.exit(await tsx('infra/src/cli.ts', ['fetch']));
    break;
  }
  case undefined:
  case '--help':
  case '-h':
    console.log(usage);
    break;
  default:
    if (!Object.hasOwn(entryPoints, command)) {
      console.error(`unknown command: ${command}\n\n${usage}`);
      process.exit(2);
    }
    installDependencies();
    process.exit(await tsx(entryPoints[command], rest));
}
