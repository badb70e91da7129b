export { startProjectionConsumer, type Decoded, type ProjectionConsumer, type ProjectionConsumerOptions } from './consumer.js';
export { projectionTablesSql } from './schema.js';
export { listRejected, markProcessed, type RejectedMessage } from './sql.js';
