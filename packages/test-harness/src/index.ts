export { testInfra, type TestInfra } from './infra.js';
export { createTestDatabase, type TestDatabase } from './database.js';
export { createTestTopics, type TestTopics } from './topics.js';
export { waitFor } from './wait.js';
export { followTopic, readTopic } from './read-topic.js';
export { createPrng, type Prng } from './prng.js';
export { repoRoot } from './paths.js';
export { startOwnInfra, startOwnKafkaCluster, type OwnInfra } from './own-infra.js';
export type { LocalKafkaCluster } from '@syv/infra';
