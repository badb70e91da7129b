import type { Prng } from '@syv/test-harness';
import type { JsonSchema } from '../lib/openapi-routes.js';

/** Where a valid body needs a value the schema alone cannot give (an area the caller works in). */
interface BodyHints {
  area: string;
}

const pastTime = (rng: Prng) => new Date(Date.now() - rng.int(1, 20) * 86_400_000 - rng.int(0, 86_399) * 1_000).toISOString();

/**
 * A body the route would accept, drawn from its documented schema: the base every mutation breaks
 * in one place, so that a refusal is for that one thing and not for the rest of the body.
 */
export function validValue(schema: JsonSchema, rng: Prng, hints: BodyHints, name = ''): unknown {
  if (schema.anyOf?.[0]) return validValue(schema.anyOf[0], rng, hints, name);
  if (schema.enum) return rng.pick(schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(schema.properties ?? {})) out[key] = validValue(prop, rng, hints, key);
      return out;
    }
    case 'array': {
      const items = schema.items ?? { type: 'string' };
      const n = Math.max(1, schema.minItems ?? 1);
      // Enum items may have to be distinct (concerns): take distinct ones from the top of the list.
      if (items.enum) return items.enum.slice(0, n);
      return Array.from({ length: n }, () => validValue(items, rng, hints, name));
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? 0;
      const max = schema.maximum ?? min + 100;
      return rng.int(min, Math.min(max, min + 100));
    }
    case 'string':
      if (schema.format === 'date-time') return pastTime(rng);
      if (schema.format === 'uuid') return rng.uuid();
      if (name === 'area') return hints.area;
      if (schema.pattern && schema.pattern !== '\\S') return `fuzz-${rng.int(0, 1e9).toString(36)}`;
      return 'Met the young person at the hub; agreed next steps with the family.'.slice(0, schema.maxLength ?? 200);
    default:
      return {};
  }
}

/** Free text: a string with no enum, format or pattern beyond "not blank"; where encodings bite. */
export function isFreeText(schema: JsonSchema): boolean {
  return schema.type === 'string' && !schema.enum && !schema.format && (!schema.pattern || schema.pattern === '\\S');
}
