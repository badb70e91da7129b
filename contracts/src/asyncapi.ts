import { CLOUDEVENTS_CONTENT_TYPE } from './codec.js';
import { ALERT_EVENT_TYPES, CASE_EVENT_TYPES, EVENT_TYPES, type EventType } from './events/catalog.js';
import { EVENT_INFO, sourcesOf } from './events/info.js';
import { examples } from './examples.js';
import { eventJsonSchema, GENERATED_NOTE, type JsonObject } from './json-schema.js';
import { CASE_ALERTS_TOPIC, CASE_EVENTS_TOPIC } from './topics.js';

// The AsyncAPI 3.0 description of both topics (https://www.asyncapi.com/docs/reference/specification/v3.0.0).
// Payloads are the draft-07 JSON Schemas (the dialect every AsyncAPI tool reads), keyed by event type.

const KAFKA_BINDING_VERSION = '0.5.0';
const DRAFT_07 = 'application/schema+json;version=draft-07';

const DELIVERY = [
  'Every message is a CloudEvents 1.0 event in **structured mode**: the Kafka value is the whole event as JSON',
  `(attributes and \`data\`), with the header \`content-type: ${CLOUDEVENTS_CONTENT_TYPE}\`.`,
  'The Kafka key is the caseId, which is also the CloudEvent `subject`, so all events of one case are on one',
  'partition and every consumer (and every replay) sees them in one order.',
  'Delivery is **at least once** (outbox relays publish with acks=all and checkpoint after the ack): consumers',
  'must deduplicate by the CloudEvent `id`.',
  'The schema version is part of the `type` (`….v1`); a breaking change is a new type published beside the old one.',
].join(' ');

const channels = {
  caseEvents: {
    address: CASE_EVENTS_TOPIC,
    title: 'Case events',
    types: CASE_EVENT_TYPES,
    description: `Everything that happens to a case, from every command service and the projection's closure assessments. Kept forever: it is the history auditors replay. ${DELIVERY}`,
  },
  caseAlerts: {
    address: CASE_ALERTS_TOPIC,
    title: 'Case alerts',
    types: ALERT_EVENT_TYPES,
    description: `Alerts the projection raises when a rule starts to fire on a case, and their acknowledgements, for supervisors and other systems. ${DELIVERY}`,
  },
} as const;
type ChannelId = keyof typeof channels;

function channelOf(type: EventType): ChannelId {
  return (channels.caseAlerts.types as readonly EventType[]).includes(type) ? 'caseAlerts' : 'caseEvents';
}

function message(type: EventType): JsonObject {
  const info = EVENT_INFO[type];
  return {
    name: type,
    title: info.title,
    summary: info.description,
    contentType: 'application/cloudevents+json',
    headers: {
      type: 'object',
      properties: { 'content-type': { type: 'string', const: CLOUDEVENTS_CONTENT_TYPE } },
      required: ['content-type'],
    },
    payload: { schemaFormat: DRAFT_07, schema: eventJsonSchema(type, 'draft-07') },
    correlationId: { description: 'Shared by every event one user action led to.', location: '$message.payload#/correlationid' },
    bindings: {
      kafka: {
        key: { type: 'string', format: 'uuid', description: 'The caseId (= the CloudEvent `subject`).' },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    examples: [{ name: `${type}.example`, headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE }, payload: examples[type] }],
  };
}

const messageRef = (channel: ChannelId, type: EventType) => ({ $ref: `#/channels/${channel}/messages/${type}` });

/** One send operation per emitting service and channel, one receive operation per channel. */
function operations(): JsonObject {
  const sends = new Map<string, { channel: ChannelId; source: string; types: EventType[] }>();
  for (const type of EVENT_TYPES) {
    const channel = channelOf(type);
    for (const source of sourcesOf(type)) {
      const id = `${source.replace(/^syv\//, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}Sends${channel[0]?.toUpperCase()}${channel.slice(1)}`;
      const entry = sends.get(id) ?? { channel, source, types: [] };
      entry.types.push(type);
      sends.set(id, entry);
    }
  }
  const out: JsonObject = {};
  for (const [id, { channel, source, types }] of sends) {
    out[id] = {
      action: 'send',
      channel: { $ref: `#/channels/${channel}` },
      summary: `${source} publishes these events (acks=all, at least once).`,
      messages: types.map((t) => messageRef(channel, t)),
    };
  }
  for (const [channel, spec] of Object.entries(channels) as [ChannelId, (typeof channels)[ChannelId]][]) {
    out[`receive${channel[0]?.toUpperCase()}${channel.slice(1)}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${channel}` },
      summary: `Consumers of ${spec.address}: deduplicate by \`id\`; apply effects and store offsets in one transaction for exactly-once effects.`,
      messages: spec.types.map((t) => messageRef(channel, t)),
    };
  }
  return out;
}

export function asyncApiDocument(): JsonObject {
  const channelObjects: JsonObject = {};
  for (const [id, spec] of Object.entries(channels) as [ChannelId, (typeof channels)[ChannelId]][]) {
    channelObjects[id] = {
      address: spec.address,
      title: spec.title,
      description: spec.description,
      messages: Object.fromEntries(spec.types.map((t) => [t, { $ref: `#/components/messages/${t}` }])),
      bindings: { kafka: { topic: spec.address, bindingVersion: KAFKA_BINDING_VERSION } },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Case tracking for multi-agency responses to serious youth violence: events',
      version: '1.0.0',
      description: `The Kafka topics the services share. Topic names are defaults; each service takes its topic names from its configuration. ${DELIVERY}`,
      'x-generated': GENERATED_NOTE,
    },
    defaultContentType: 'application/cloudevents+json',
    channels: channelObjects,
    operations: operations(),
    components: { messages: Object.fromEntries(EVENT_TYPES.map((t) => [t, message(t)])) },
  };
}
