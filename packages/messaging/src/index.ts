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
  ensureTopics,
  keepForever,
  pingKafka,
  replicationFor,
  topicEndOffsets,
  waitForKafka,
  type EnsureTopicsOptions,
  type Replication,
  type TopicSpec,
} from './admin.js';
