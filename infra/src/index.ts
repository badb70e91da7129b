export { choosePlan, provisionInfra, redactUrl } from './resolve.js';
export type { InfraPlan, KafkaSource, PlanInputs, PostgresSource, ProvisionedInfra, ProvisionOptions } from './resolve.js';
export {
  brokerLogTail,
  fetchKafkaJars,
  kafkaVersion,
  localKafkaStatus,
  LocalKafkaError,
  requireJava,
  startLocalKafka,
  stopLocalKafka,
} from './kafka-local.js';
export type { KafkaJars, LocalKafka, LocalKafkaOptions, LocalKafkaStatus, Log } from './kafka-local.js';
export { kafkaJarsPresent, kafkaLibsDir } from './kafka-jars.js';
export { MACHINE_POSTGRES_URL, machinePostgresAnswers, startEmbeddedPostgres } from './postgres-local.js';
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from './postgres-local.js';
export { dockerAvailable, startKafkaContainer, startPostgresContainer } from './docker.js';
export type { KafkaContainerHandle, PostgresContainerHandle } from './docker.js';
export { caseTopics } from './topics.js';
export { freePort, freePorts, portAnswers, portIsFree, waitForPortClosed } from './net.js';
export { defaultKafkaDataDir } from './paths.js';
