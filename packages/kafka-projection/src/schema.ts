/** Tables every Kafka-fed read model keeps beside its own, in its own schema. */
export function projectionTablesSql(schema: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${schema}.consumer_offsets (
  consumer text NOT NULL,
  topic text NOT NULL,
  partition int NOT NULL,
  next_offset bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, topic, partition)
);
CREATE TABLE IF NOT EXISTS ${schema}.processed_events (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  PRIMARY KEY (consumer, event_id)
);
CREATE TABLE IF NOT EXISTS ${schema}.rejected_messages (
  id bigserial PRIMARY KEY,
  consumer text NOT NULL,
  topic text NOT NULL,
  partition int NOT NULL,
  "offset" bigint NOT NULL,
  error text NOT NULL,
  raw text,
  rejected_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (consumer, topic, partition, "offset")
);`;
}
