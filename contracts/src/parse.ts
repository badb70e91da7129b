import type { z } from 'zod';
import { anyEnvelopeSchema } from './envelope.js';
import {
  alertEventDataSchemas,
  caseEventDataSchemas,
  eventSchemas,
  isEventType,
  type AlertEvent,
  type AnyEvent,
  type CaseEvent,
  type EventOf,
  type EventType,
} from './events/catalog.js';

// Turning untrusted input (a Kafka message, a stored row) into a typed event, with an answer that
// names the offending field: "data.riskLevel: invalid option" is something a developer can fix,
// "validation failed" is not.

export interface EventIssue {
  /** Dotted path from the envelope root, e.g. `data.flags[0].rule`; empty for the whole input. */
  path: string;
  message: string;
}

export interface EventError {
  message: string;
  issues: EventIssue[];
}

export type ParseResult<E> = { ok: true; event: E } | { ok: false; error: EventError };

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    return out === '' ? name : `${out}.${name}`;
  }, '');
}

// Zod says "expected string, received undefined" for a missing field; "required" says it plainly.
const parseOptions = {
  error: (issue: { input?: unknown; code?: string }) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined),
};

function toIssues(error: z.ZodError): EventIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

export function failure(label: string, issues: EventIssue[]): { ok: false; error: EventError } {
  const detail = issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('; ');
  return { ok: false, error: { message: `${label} rejected: ${detail}`, issues } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates input as an event of one given type. */
export function parseEventOfType<T extends EventType>(type: T, input: unknown): ParseResult<EventOf<T>> {
  const parsed = eventSchemas[type].safeParse(input, parseOptions);
  return parsed.success ? { ok: true, event: parsed.data as EventOf<T> } : failure(type, toIssues(parsed.error));
}

function parseAmong<E>(family: string, accepted: Record<string, unknown>, input: unknown): ParseResult<E> {
  if (!isRecord(input)) return failure('event', [{ path: '', message: 'expected a JSON object (a CloudEvent in structured mode)' }]);
  const type = input.type;
  if (typeof type === 'string' && Object.hasOwn(accepted, type) && isEventType(type)) {
    // The caller's family contains `type`, so the event is one of E.
    return parseEventOfType(type, input) as ParseResult<E>;
  }
  // Still report what else is wrong with the envelope, so one round of fixes is enough.
  const envelope = anyEnvelopeSchema.safeParse(input, parseOptions);
  const others = envelope.success ? [] : toIssues(envelope.error).filter((i) => i.path !== 'type');
  return failure('event', [{ path: 'type', message: typeProblem(family, accepted, type) }, ...others]);
}

function typeProblem(family: string, accepted: Record<string, unknown>, type: unknown): string {
  if (type === undefined) return 'required';
  if (typeof type !== 'string') return `expected a string, received ${type === null ? 'null' : typeof type}`;
  const known = Object.keys(accepted).join(', ');
  if (isEventType(type)) return `"${type}" is not ${family} (expected one of: ${known})`;
  return `unknown event type "${type}" (expected one of: ${known})`;
}

const allEvents = { ...caseEventDataSchemas, ...alertEventDataSchemas } satisfies Record<EventType, unknown>;

/** Any event of either topic. */
export function parseEvent(input: unknown): ParseResult<AnyEvent> {
  return parseAmong<AnyEvent>('a known event', allEvents, input);
}

/** An event of the case-events topic. */
export function parseCaseEvent(input: unknown): ParseResult<CaseEvent> {
  return parseAmong<CaseEvent>('a case-events event', caseEventDataSchemas, input);
}

/** An event of the case-alerts topic. */
export function parseAlertEvent(input: unknown): ParseResult<AlertEvent> {
  return parseAmong<AlertEvent>('a case-alerts event', alertEventDataSchemas, input);
}
