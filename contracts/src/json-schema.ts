import { z } from 'zod';
import { eventSchemas, type EventType } from './events/catalog.js';
import { EVENT_INFO, sourcesOf } from './events/info.js';
import { examples } from './examples.js';

// JSON Schema of each event, envelope and data together, from the same zod schema the code
// validates with, so the published contract cannot drift from what services accept.

export type JsonSchemaTarget = 'draft-2020-12' | 'draft-07';
export type JsonObject = { [key: string]: unknown };

export const GENERATED_NOTE = 'Generated from contracts/src by `pnpm contracts:generate`; do not edit by hand.';

export function eventJsonSchema(type: EventType, target: JsonSchemaTarget = 'draft-2020-12'): JsonObject {
  const { $schema, ...body } = z.toJSONSchema(eventSchemas[type], { target }) as JsonObject;
  const info = EVENT_INFO[type];
  return {
    $schema,
    $id: `urn:syv:event:${type}`,
    $comment: GENERATED_NOTE,
    title: `${type}: ${info.title}`,
    description: `${info.description} Emitted by ${sourcesOf(type).join(' or ')}.`,
    ...body,
    examples: [examples[type]],
  };
}
