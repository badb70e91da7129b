export { choosePlan, localKafkaNodes, provisionInfra, redactUrl } from './resolve.js';
export type { InfraPlan, KafkaSource, PlanInputs, PostgresSource, ProvisionedInfra, ProvisionOptions } from './resolve.js';
export {
  brokerLogTail,
  fetchKafkaJars,
  kafkaVersion,
  localKafkaStatus,
  localKafkaDataDir,
  localKafkaNodeDirs,
  LocalKafkaError,
  MAX_LOCAL_NODES,
  requireJava,
  startLocalKafka,
  startLocalKafkaCluster,
  stopLocalKafka,
} from './kafka-local.js';
export type {
  KafkaJars,
  LocalKafka,
  LocalKafkaCluster,
  LocalKafkaClusterOptions,
  LocalKafkaNode,
  LocalKafkaOptions,
  LocalKafkaStatus,
  Log,
} from './kafka-local.js';
export { kafkaJarsPresent, kafkaLibsDir } from './kafka-jars.js';
export { MACHINE_POSTGRES_URL, machinePostgresAnswers, startEmbeddedPostgres } from './postgres-local.js';
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from './postgres-local.js';
export { dockerAvailable, startKafkaContainer, startPostgresContainer } from './docker.js';
export type { KafkaContainerHandle, PostgresContainerHandle } from './docker.js';
export { caseTopics } from './topics.js';
export { freePort, freePorts, portAnswers, portIsFree, waitForPortClosed } from './net.js';
export { defaultKafkaDataDir } from './paths.js';
