// `npm run kafka <command>`: the no-Docker Apache Kafka broker by hand.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureTopics } from '@syv/messaging';
import {
  fetchKafkaJars,
  kafkaVersion,
  localKafkaDataDir,
  localKafkaStatus,
  LocalKafkaError,
  MAX_LOCAL_NODES,
  startLocalKafkaCluster,
  stopLocalKafka,
  type LocalKafkaCluster,
} from './kafka-local.js';
import { defaultKafkaDataDir } from './paths.js';
import { localKafkaNodes } from './resolve.js';
import { caseTopics } from './topics.js';

const usage = `usage: kafka <command> [options]

Apache Kafka ${kafkaVersion()} from Maven Central, KRaft on 127.0.0.1, no Docker: one node, or a
replicated cluster of combined broker+controller nodes (--nodes 3). Needs Java 17+ (and Maven once,
for fetch).

commands:
  fetch     fetch the broker's jars into infra/kafka/.cache (once; later runs reuse them)
  start     start the node(s) in the foreground, create the topics ${caseTopics.map((t) => t.name).join(', ')},
            and stop every node on Ctrl-C
  stop      stop every node named by the data dir's pid files (e.g. started in another terminal)
  status    say whether the data dir's nodes run and answer (exit 0 when all do, 3 when not)

options:
  --nodes N          how many nodes (1 to ${MAX_LOCAL_NODES}; default KAFKA_LOCAL_NODES, else 1). With 3 or more,
                     topics and internal topics get 3 replicas and min.insync.replicas=2
  --port N           client port of node 1 (default 9092). Its controller uses N+1; node i uses
                     N+2(i-1) and the port after it (3 nodes: 9092-9097)
  --data-dir PATH    data, logs and pid files (default ${defaultKafkaDataDir} for one node,
                     ${localKafkaDataDir(defaultKafkaDataDir, 3)} for 3, node i in node-<i>/)
  -h, --help         this text`;

const log = (msg: string): void => console.log(`[kafka] ${msg}`);

function fail(message: string, code = 1): never {
  console.error(`[kafka] ${message}`);
  process.exit(code);
}

// 143 = 128 + SIGTERM: the JVM's exit code after a clean shutdown on SIGTERM.
const cleanExit = (code: number | null): boolean => code === 0 || code === 143 || code === null;

async function start(nodes: number, port: number, dataDir: string): Promise<void> {
  // Listening from the start and to every copy of a signal (npm and the process group each deliver
  // one): a signal's default action would end this process without its exit hooks, and leave the
  // nodes running with nobody to stop them. A signal during start-up stops the nodes once they answer.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const stopped = new Promise<string>((resolvePromise) => {
    for (const signal of signals) process.on(signal, () => resolvePromise(signal));
  });
  let cluster: LocalKafkaCluster;
  try {
    cluster = await startLocalKafkaCluster({ nodes, port, dataDir, log });
  } catch (err) {
    if (err instanceof LocalKafkaError && err.code === 'ALREADY_RUNNING') {
      log(err.message);
      return;
    }
    throw err;
  }
  await ensureTopics({ brokers: cluster.brokers, clientId: 'syv-infra-cli' }, caseTopics, { brokerCount: nodes });
  const { replicationFactor, minInsyncReplicas } = cluster.replication;
  const replicated = replicationFactor > 1 ? `, ${replicationFactor} replicas, min.insync.replicas ${minInsyncReplicas}` : '';
  log(`topics ready: ${caseTopics.map((t) => `${t.name} (${t.partitions} partitions${replicated}, kept forever)`).join(', ')}`);
  log(`KAFKA_BROKERS=${cluster.brokers.join(',')}   (Ctrl-C to stop)`);

  // Nodes may also end on their own: `kafka stop` from another terminal, or a crash. A cluster
  // carries on without one node, so this waits for all of them.
  const running = cluster.nodes;
  for (const node of running) {
    void node.exited.then((code) => {
      if (nodes > 1) log(`node ${node.nodeId} (pid ${node.pid}) exited with code ${String(code)}`);
    });
  }
  const allExited = Promise.all(running.map((n) => n.exited));
  const outcome = await Promise.race([stopped.then((s) => ({ signal: s })), allExited.then((codes) => ({ codes }))]);
  if ('signal' in outcome) {
    log(`${outcome.signal}: stopping ${nodes === 1 ? 'the broker' : `all ${nodes} nodes`}`);
    await cluster.stop();
    log('stopped');
    return;
  }
  await cluster.stop();
  const failed = running.find((_, i) => !cleanExit(outcome.codes[i] ?? null));
  if (failed) fail(`node ${failed.nodeId} exited with code ${String(outcome.codes[running.indexOf(failed)])}; see ${failed.logFiles.server}`);
  log(`${nodes === 1 ? 'the broker was' : 'the nodes were'} stopped from outside; exiting`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      nodes: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || command === undefined || command === 'help') {
    console.log(usage);
    return;
  }
  let nodes: number;
  try {
    nodes = values.nodes === undefined ? localKafkaNodes(process.env) : localKafkaNodes({ KAFKA_LOCAL_NODES: values.nodes });
  } catch (err) {
    fail(values.nodes === undefined ? (err as Error).message : `--nodes must be a whole number from 1 to ${MAX_LOCAL_NODES}, not ${values.nodes}`, 2);
  }
  const dataDir = resolve(values['data-dir'] ?? localKafkaDataDir(defaultKafkaDataDir, nodes));
  const port = Number(values.port ?? 9092);
  const lastPort = 65535 - 2 * nodes + 1;
  if (!Number.isInteger(port) || port < 1 || port > lastPort) fail(`--port must be a port number up to ${lastPort} for ${nodes} node(s), not ${values.port}`, 2);

  switch (command) {
    case 'fetch': {
      const jars = await fetchKafkaJars({ log });
      log(jars.fetched ? `ready: ${jars.libsDir}` : `already fetched: ${jars.libsDir}`);
      return;
    }
    case 'start':
      return start(nodes, port, dataDir);
    case 'stop': {
      const result = await stopLocalKafka({ dataDir, log });
      log(result === 'stopped' ? 'stopped' : `no broker running from ${dataDir}`);
      return;
    }
    case 'status': {
      const nodeDirs = nodes === 1 ? [dataDir] : Array.from({ length: nodes }, (_, i) => join(dataDir, `node-${i + 1}`));
      for (const [i, nodeDir] of nodeDirs.entries()) {
        const who = nodes === 1 ? '' : `node ${i + 1}: `;
        const status = await localKafkaStatus({ dataDir: nodeDir });
        if (status.state === 'running') {
          log(
            `${who}running: Apache Kafka ${status.version} at 127.0.0.1:${status.port} (pid ${status.pid}, since ${status.startedAt})` +
              (status.answers ? ', answering' : ', NOT answering yet'),
          );
          if (!status.answers) process.exitCode = 3;
          continue;
        }
        log(
          who +
            (status.state === 'stale-pid-file'
              ? `not running (stale pid file: pid ${status.pid} is gone; the next start cleans it up)`
              : `not running (no pid file in ${nodeDir})`),
        );
        process.exitCode = 3;
      }
      return;
    }
    default:
      fail(`unknown command: ${command}\n\n${usage}`, 2);
  }
}

main().catch((err: unknown) => {
  fail(err instanceof Error ? err.message : String(err));
});
