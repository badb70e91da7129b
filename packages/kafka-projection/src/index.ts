export { applyMessages, MAX_PER_TRANSACTION, startProjectionConsumer, type Decoded, type Fresh, type MessageHandling, type ProjectionConsumer, type ProjectionConsumerOptions } from './consumer.js';
export { projectionTablesSql } from './schema.js';
export { listRejected, markProcessed, storeOffset, type RejectedMessage } from './sql.js';
