import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaCacheRoot, kafkaPom } from './paths.js';

export type Log = (msg: string) => void;

type LocalKafkaErrorCode =
  | 'JAVA_MISSING'
  | 'JAVA_TOO_OLD'
  | 'MAVEN_MISSING'
  | 'FETCH_FAILED'
  | 'PORT_IN_USE'
  | 'ALREADY_RUNNING'
  | 'FORMAT_FAILED'
  | 'START_FAILED'
  | 'BAD_OPTIONS';

/** Every failure of the no-Docker broker path, with a code a caller (the CLI) can branch on. */
export class LocalKafkaError extends Error {
  constructor(
    readonly code: LocalKafkaErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LocalKafkaError';
  }
}

const MIN_JAVA = 17;

/** The broker version pinned in infra/kafka/pom.xml, the single place it is written down. */
export function kafkaVersion(): string {
  const pom = readFileSync(kafkaPom, 'utf8');
  const match = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pom);
  if (!match?.[1]) throw new Error(`no <kafka.version> property in ${kafkaPom}`);
  return match[1];
}

function kafkaCacheDir(version = kafkaVersion()): string {
  return join(kafkaCacheRoot, `kafka-${version}`);
}

export function kafkaLibsDir(version = kafkaVersion()): string {
  return join(kafkaCacheDir(version), 'libs');
}

// Written last: a folder of jars without it is an interrupted fetch and is fetched again.
const markerFile = (version: string): string => join(kafkaCacheDir(version), 'complete.json');

export function kafkaJarsPresent(version = kafkaVersion()): boolean {
  return existsSync(markerFile(version)) && existsSync(kafkaLibsDir(version));
}

function toolAnswers(cmd: string, args: string[]): { found: boolean; output: string } {
  const res = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  if (res.error) return { found: false, output: res.error.message };
  return { found: res.status === 0, output: `${res.stdout}${res.stderr}` };
}

/** Checks that a Java 17+ runtime is on PATH; the broker cannot start without it. */
export function requireJava(): { major: number } {
  const { found, output } = toolAnswers('java', ['-version']);
  if (!found) {
    throw new LocalKafkaError(
      'JAVA_MISSING',
      `java was not found on PATH. The local Kafka broker needs a Java ${MIN_JAVA}+ runtime ` +
        '(e.g. `apt-get install openjdk-17-jre-headless`, or Temurin from adoptium.net). ' +
        'Alternatives: set KAFKA_BROKERS to an existing broker, or run a Docker engine.',
    );
  }
  // `java -version` prints e.g. `openjdk version "17.0.15"` or, for Java 8, `"1.8.0_392"`.
  const version = /version "(\d+)(?:\.(\d+))?/.exec(output);
  const first = Number(version?.[1] ?? 0);
  const major = first === 1 ? Number(version?.[2] ?? 0) : first;
  if (major > 0 && major < MIN_JAVA) {
    throw new LocalKafkaError(
      'JAVA_TOO_OLD',
      `java on PATH is version ${major}; Apache Kafka ${kafkaVersion()} needs Java ${MIN_JAVA} or newer.`,
    );
  }
  return { major };
}

function requireMaven(): void {
  if (!toolAnswers('mvn', ['-v']).found) {
    throw new LocalKafkaError(
      'MAVEN_MISSING',
      `mvn (Apache Maven) was not found on PATH. It is needed once, to fetch Apache Kafka ${kafkaVersion()}'s ` +
        `jars from Maven Central into ${kafkaCacheRoot} (e.g. \`apt-get install maven\`). ` +
        'Later runs use the cache and need only Java.',
    );
  }
}

export interface KafkaJars {
  version: string;
  libsDir: string;
  /** False when the cache already had them. */
  fetched: boolean;
}

/**
 * Fetches the broker's jars from Maven Central with `mvn dependency:copy-dependencies` into a
 * per-version cache, once. Later calls find the marker and return at once.
 */
export async function fetchKafkaJars({ log }: { log: Log }): Promise<KafkaJars> {
  const version = kafkaVersion();
  const libsDir = kafkaLibsDir(version);
  if (kafkaJarsPresent(version)) return { version, libsDir, fetched: false };

  requireJava();
  requireMaven();
  const cacheDir = kafkaCacheDir(version);
  mkdirSync(cacheDir, { recursive: true });
  // A per-process folder renamed into place at the end, so that two fetches at once (CI's install
  // step and a test run, say) never see each other's half-copied jars.
  const partial = join(cacheDir, `libs.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });

  log(`fetching Apache Kafka ${version} jars from Maven Central with mvn (once; cached in ${cacheDir})`);
  const started = Date.now();
  const args = [
    '-q',
    '-B',
    '-Dstyle.color=never',
    '-f',
    kafkaPom,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${partial}`,
    '-DincludeScope=runtime',
  ];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    // mvn -q is silent while it downloads ~45 MB; say something so nobody thinks it hangs.
    const ticker = setInterval(() => log(`  still fetching... ${Math.round((Date.now() - started) / 1000)} s`), 5_000);
    child.on('error', (err) => {
      clearInterval(ticker);
      resolve({ code: null, output: `${out}\n${err.message}` });
    });
    child.on('close', (exitCode) => {
      clearInterval(ticker);
      resolve({ code: exitCode, output: out });
    });
  });
  if (code !== 0) {
    rmSync(partial, { recursive: true, force: true });
    const tail = output.trim().split('\n').slice(-20).join('\n');
    throw new LocalKafkaError(
      'FETCH_FAILED',
      `mvn could not fetch Apache Kafka ${version} (exit ${String(code)}). Is Maven Central reachable?\n${tail}`,
    );
  }
  const jars = readdirSync(partial).filter((f) => f.endsWith('.jar'));
  if (!jars.some((j) => j.startsWith(`kafka_2.13-${version}`))) {
    throw new LocalKafkaError('FETCH_FAILED', `mvn finished but ${partial} has no kafka_2.13-${version}.jar`);
  }
  try {
    rmSync(libsDir, { recursive: true, force: true });
    renameSync(partial, libsDir);
  } catch (err) {
    // Another process finished first and its copy is as good as ours.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(libsDir)) throw err;
  }
  writeFileSync(markerFile(version), `${JSON.stringify({ version, jars: jars.sort(), fetchedAt: new Date().toISOString() }, null, 2)}\n`);
  log(`fetched ${jars.length} jars in ${Math.round((Date.now() - started) / 1000)} s`);
  return { version, libsDir, fetched: true };
}
