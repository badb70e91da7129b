export { kafkaClient, parseBrokers, type KafkaConnection } from './client.js';
export { createPublisher, type OutgoingMessage, type Publisher } from './publisher.js';
export {
  createSubscriber,
  type IncomingBatch,
  type IncomingMessage,
  type Subscriber,
  type SubscriberOptions,
} from './subscriber.js';
export {
  assertTopicsExist,
  describeGroup,
  ensureTopics,
  keepForever,
  pingKafka,
  replicationFor,
  topicEndOffsets,
  topicPartitions,
  topicSettings,
  waitForKafka,
  type EnsureTopicsOptions,
  type GroupMember,
  type GroupState,
  type PartitionReplicas,
  type Replication,
  type TopicSpec,
} from './admin.js';
