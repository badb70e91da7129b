/**
 * Keys whose values are free text or personal data. The guide is strict: logs hold ids, never
 * notes, summaries, rationales, reasons or names. Matching is on the key at any depth and ignores
 * case, because services log whatever objects they have at hand.
 */
export const defaultRedactedKeys: readonly string[] = [
  'notes',
  'note',
  'summary',
  'rationale',
  'reason',
  'reasons',
  'comment',
  'comments',
  'description',
  'childViews',
  'familyViews',
  'text',
  'name',
  'firstName',
  'lastName',
  'fullName',
  'givenName',
  'familyName',
  'surname',
  'childName',
  'preferredName',
  'dateOfBirth',
  'address',
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'secret',
  'token',
];

export const REDACTED = '[redacted]';
const maxDepth = 10;

/**
 * Returns a copy of `value` with the listed keys' values replaced. Only plain objects and arrays
 * are walked: class instances (Fastify's request, errors, buffers) go to their own serializers,
 * which never emit bodies or headers.
 */
export function createRedactor(keys: readonly string[] = defaultRedactedKeys): (value: Record<string, unknown>) => Record<string, unknown> {
  const redacted = new Set(keys.map((k) => k.toLowerCase()));

  const walk = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (depth > maxDepth || seen.has(value)) return '[too deep]';
    if (Array.isArray(value)) {
      seen.add(value);
      const out = value.map((item) => walk(item, depth + 1, seen));
      seen.delete(value);
      return out;
    }
    if (!isPlainObject(value)) return value;
    seen.add(value);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = redacted.has(key.toLowerCase()) && item !== undefined ? REDACTED : walk(item, depth + 1, seen);
    }
    seen.delete(value);
    return out;
  };

  return (object) => walk(object, 0, new WeakSet()) as Record<string, unknown>;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
