import { fileURLToPath } from 'node:url';
import { asyncApiDocument } from './asyncapi.js';
import { EVENT_TYPES } from './events/catalog.js';
import { eventJsonSchema } from './json-schema.js';

// The checked-in generated documents, as path (relative to contracts/generated/) → content. The
// generator writes exactly these and the staleness test compares them, so both see one truth.

export const GENERATED_DIR = fileURLToPath(new URL('../generated/', import.meta.url));
export const JSON_SCHEMA_DIR = 'json-schema';
const ASYNCAPI_FILE = 'asyncapi.json';

const render = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function renderGeneratedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const type of EVENT_TYPES) files.set(`${JSON_SCHEMA_DIR}/${type}.json`, render(eventJsonSchema(type)));
  files.set(ASYNCAPI_FILE, render(asyncApiDocument()));
  return files;
}
