import { z } from 'zod';
import { actorRoleSchema } from './enums.js';
import { areaCode, isoDateTime, userId, uuid } from './fields.js';

// Every event travels in a CloudEvents 1.0 envelope (https://github.com/cloudevents/spec), so any
// CloudEvents-aware tool can route and inspect it without knowing these schemas. Extension attribute
// names must be lowercase letters and digits only (CloudEvents §3.1.1), hence `correlationid`.

export const SPEC_VERSION = '1.0';
export const DATA_CONTENT_TYPE = 'application/json';

/** The `source` of each service's events. */
export const SOURCES = {
  referral: 'syv/referral',
  intervention: 'syv/intervention',
  caseClosure: 'syv/case-closure',
  projection: 'syv/projection',
} as const;
export type Source = (typeof SOURCES)[keyof typeof SOURCES];

export const actorSchema = z
  .object({
    sub: userId().describe('User id (the token `sub`), or the service name when role is `system`.'),
    role: actorRoleSchema,
  })
  .describe('Who caused the event.');
export type Actor = z.infer<typeof actorSchema>;

function envelopeShape<T extends z.ZodType, D extends z.ZodType>(type: T, data: D) {
  return {
    specversion: z.literal(SPEC_VERSION),
    id: uuid().describe('Unique per event; consumers deduplicate on it (delivery is at least once).'),
    source: z.string().min(1).max(200).describe('The emitting service, e.g. `syv/referral`.'),
    type,
    time: isoDateTime().describe('When the event was recorded.'),
    subject: uuid().describe('The caseId; also the Kafka message key.'),
    datacontenttype: z.literal(DATA_CONTENT_TYPE),
    correlationid: uuid().describe('Shared by every event that one user action led to, across services.'),
    causationid: uuid().describe('The id of the event or request that directly caused this one.'),
    actor: actorSchema,
    area: areaCode(),
    data,
  };
}

/**
 * The case is the unit of ordering (it is the Kafka key), and the area is what access control
 * filters on; an event whose envelope disagrees with its own data would be routed or hidden wrongly.
 */
function envelopeDataMismatches(parsed: unknown): { path: string; message: string }[] {
  // Runs after the object parsed, so the envelope's shape is known; the generic output type of the
  // schema cannot be named here, hence the cast.
  const event = parsed as { subject: string; area: string; data: { caseId?: unknown; area?: unknown } };
  const data = event.data;
  const mismatches: { path: string; message: string }[] = [];
  if (data.caseId !== undefined && data.caseId !== event.subject) {
    mismatches.push({ path: 'subject', message: `must equal data.caseId (${String(data.caseId)})` });
  }
  if (data.area !== undefined && data.area !== event.area) {
    mismatches.push({ path: 'area', message: `must equal data.area (${String(data.area)})` });
  }
  return mismatches;
}

/** The envelope of one event type: `type` is fixed and `data` is that type's schema. */
export function envelopeOf<const T extends string, D extends z.ZodObject>(type: T, data: D) {
  return z.object(envelopeShape(z.literal(type), data)).superRefine((event, ctx) => {
    for (const { path, message } of envelopeDataMismatches(event)) ctx.addIssue({ code: 'custom', path: [path], message });
  });
}

/** Any envelope, whatever its type; used to report envelope problems of an event that cannot be typed. */
export const anyEnvelopeSchema = z.object(envelopeShape(z.string().min(1), z.unknown()));
export type AnyEnvelope = z.infer<typeof anyEnvelopeSchema>;
