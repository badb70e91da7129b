import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NEW_EVENT_LIMITS } from '../contracts/src/limits.js';
import { bodiesAndEvents as amendment } from '../packages/command-service/src/amendments/routes.js';
import { bodiesAndEvents as closure } from '../services/case-closure/src/closure/routes.js';
import { bodiesAndEvents as activity } from '../services/intervention/src/case-activity/routes.js';
import { bodiesAndEvents as erasure } from '../services/referral/src/erasure/routes.js';
import { bodiesAndEvents as allocation } from '../services/referral/src/referral/allocation-routes.js';
import { bodiesAndEvents as onward } from '../services/referral/src/onward-referral/routes.js';
import { bodiesAndEvents as referral } from '../services/referral/src/referral/routes.js';

// A field a route takes becomes a field of an event: the route must refuse what the event schema
// would refuse, and a limit people meet at the route is the one the contracts publish. The event
// side is read from the generated JSON Schema, the contract consumers see.

type Schema = { [key: string]: unknown };
/** A route's body schema (zod), asked for its JSON Schema as the OpenAPI document shows it. */
type Body = { toJSONSchema(params?: { io?: 'input' | 'output' }): unknown };
type Entry = { route: string; body: Body; event: string; fields?: Readonly<Record<string, string>> };

const KEYWORDS = ['minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems'] as const;
const ENTRIES: readonly Entry[] = [...activity, ...referral, ...allocation, ...onward, ...erasure, ...closure, ...amendment];

/**
 * The bounds of one property; for `x | null` or an optional field, those of its non-null branch.
 * A free text's sealed form is a branch of the contract's own, which a route must never take (it
 * takes the text as written and seals it itself): the test below fails a route that does.
 */
function limitsOf(property: Schema): Record<string, number> {
  const branches = Array.isArray(property.anyOf) ? (property.anyOf as Schema[]).filter((b) => b.type !== 'null' && !String(b.pattern ?? '').startsWith('^sealed:')) : [property];
  const limits: Record<string, number> = {};
  for (const branch of branches) for (const k of KEYWORDS) if (typeof branch[k] === 'number') limits[k] = branch[k];
  return limits;
}

function eventDataProperties(event: string): Record<string, Schema> {
  const schema = JSON.parse(readFileSync(new URL(`../contracts/generated/json-schema/${event}.json`, import.meta.url), 'utf8')) as Schema;
  return ((schema.properties as Record<string, Schema>).data!.properties ?? {}) as Record<string, Schema>;
}

function bodyProperties(body: Body): Record<string, Schema> {
  return ((body.toJSONSchema({ io: 'input' }) as Schema).properties ?? {}) as Record<string, Schema>;
}

describe('route bodies and the events they become', () => {
  for (const entry of ENTRIES) {
    it(`${entry.route} → ${entry.event}: each field the event keeps has the contract's limits`, () => {
      const data = eventDataProperties(entry.event);
      const narrower = NEW_EVENT_LIMITS[entry.event] ?? {};
      const compared: string[] = [];
      const differences: string[] = [];
      for (const [field, property] of Object.entries(bodyProperties(entry.body))) {
        const eventField = entry.fields?.[field] ?? field;
        const contract = data[eventField];
        if (!contract) continue;
        compared.push(field);
        const expected = { ...limitsOf(contract), ...narrower[eventField] };
        if (JSON.stringify(property).includes('^sealed:')) differences.push(`${field}: the route takes the sealed form; it must take the text as written only`);
        const actual = limitsOf(property);
        if (JSON.stringify(Object.entries(actual).sort()) !== JSON.stringify(Object.entries(expected).sort())) {
          differences.push(`${field} (event field ${eventField}): route ${JSON.stringify(actual)}, contract ${JSON.stringify(expected)}`);
        }
      }
      expect(compared, 'the body shares no field with the event').not.toEqual([]);
      expect(differences).toEqual([]);
    });
  }

  it('every narrower limit for new events names an event field and is stricter than the event schema', () => {
    const problems: string[] = [];
    for (const [event, fields] of Object.entries(NEW_EVENT_LIMITS)) {
      const data = eventDataProperties(event);
      for (const [field, limits] of Object.entries(fields)) {
        const property = data[field];
        if (!property) {
          problems.push(`${event}.${field}: no such field`);
          continue;
        }
        const schema = limitsOf(property);
        for (const [k, v] of Object.entries(limits)) {
          const read = schema[k];
          const stricter = read === undefined || (k.startsWith('max') || k === 'exclusiveMaximum' ? v <= read : v >= read);
          if (!stricter) problems.push(`${event}.${field}.${k}: ${v} is wider than the schema's ${read}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
