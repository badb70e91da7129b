import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { makeEvent, type AnyEvent, type EventData, type EventType } from '@syv/contracts';
import type { Decision } from '@syv/decider';
import { findIdempotent, matchIdempotent, requestHash, runCommand, type RecordedAnswer } from '@syv/event-store';
import { problem, type ProblemCode } from '@syv/service-kit';
import type { CommandContext } from './command-context.js';
import { plainPersonalFields } from '@syv/personal-data';
import { toDomainEvent, toStoredEvent } from './stored-event.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const MAX_KEY_LENGTH = 200;

export interface DomainEvent {
  type: EventType;
  data: unknown;
}

export interface CommandStore {
  pool: pg.Pool;
  schema: string;
  /** CloudEvents `source` of this service's events. */
  source: string;
}

export interface Answer<B, S extends number = number> {
  status: S;
  body: B;
}

export interface ExecuteOptions<E extends DomainEvent, B, S extends number = number> {
  store: CommandStore;
  /** The HTTP request, for its Idempotency-Key; none for a command the service gives itself (a scheduled job). */
  request?: FastifyRequest;
  ctx: CommandContext;
  streamId: string;
  /**
   * The stream's id was minted for this command (each record its own stream): decide on no history
   * without reading it. Wrong only costs a retry: an existing stream is a version conflict, and the
   * retry reads it.
   */
  newStream?: boolean;
  /** The case the events are about (CloudEvents subject, Kafka key); default: each event's data.caseId. */
  caseId?: string;
  area: string;
  /** Pure decision on the stream so far (already folded by the caller's decider as it likes); it refuses with catalog codes only. */
  decide: (history: E[]) => Decision<E, ProblemCode>;
  /** The HTTP answer, from the events this command appended. */
  answer: (events: E[]) => Answer<B, S>;
  /** Writes local read tables in the append's transaction. */
  project?: (client: pg.PoolClient, events: AnyEvent[]) => Promise<void>;
  /**
   * Seals the events' personal texts under the child's key (`CommandService.sealerFor`). Required
   * when an event carries one: a worker's text about a child is never stored or published as
   * written.
   */
  seal?: (event: AnyEvent) => AnyEvent;
}

/** The events as stored and published: personal texts sealed, and none left as written. */
function sealed(events: AnyEvent[], seal: ((event: AnyEvent) => AnyEvent) | undefined): AnyEvent[] {
  const out = seal ? events.map(seal) : events;
  for (const e of out) {
    const plain = plainPersonalFields(e);
    if (plain.length > 0) throw new Error(`${e.type} would be recorded with ${plain.join(', ')} as written: the command must pass seal`);
  }
  return out;
}

function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw problem('VALIDATION_FAILED', `The Idempotency-Key header must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters.`, {
      errors: [{ field: 'headers.idempotency-key', message: `must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters` }],
    });
  }
  return key;
}

function replay<B, S extends number>(record: RecordedAnswer, hash: string): Answer<B, S> {
  const match = matchIdempotent(record, hash);
  if (match.kind === 'mismatch') {
    throw problem(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different request. Use a new key for a new request; nothing was recorded.',
    );
  }
  return { status: match.status as S, body: match.response as B };
}

/** Where an Idempotency-Key is unique: the route and who asks. */
function scopeOf(request: FastifyRequest, ctx: CommandContext): string {
  return `${request.method} ${request.routeOptions.url ?? request.url} ${ctx.actor.sub}`;
}

/**
 * The first answer to this request's Idempotency-Key, when it was answered before (a mismatching
 * body is refused, 422); undefined without a key or when it is new. For a command with an effect
 * outside the event store that must not run twice (an erasure deletes keys before it records):
 * it asks first, and runs the effect only for a request never answered.
 */
export async function earlierAnswer<B, S extends number = number>(store: CommandStore, request: FastifyRequest, ctx: CommandContext): Promise<Answer<B, S> | undefined> {
  const key = idempotencyKeyOf(request);
  if (!key) return undefined;
  const recorded = await findIdempotent(store.pool, store.schema, scopeOf(request, ctx), key);
  return recorded ? replay<B, S>(recorded, requestHash({ params: request.params, body: request.body })) : undefined;
}

/**
 * One HTTP command, start to finish: load the stream (unless it is new), decide, and append with
 * the expected version (retrying on conflict), the idempotency record in the same statement; local
 * tables, when the command writes any, in the same transaction. An Idempotency-Key seen before
 * replays its first answer and writes nothing; two requests racing with one key record one event
 * and both get the first's answer. A refusal is a problem+json with the decider's code (its status
 * from the catalog) and own words; a conflict that survives the retries is a 409.
 */
export async function executeCommand<E extends DomainEvent, B, S extends number = number>(opts: ExecuteOptions<E, B, S>): Promise<Answer<B, S>> {
  const { store, request, ctx } = opts;
  const key = request ? idempotencyKeyOf(request) : undefined;
  // Only a key needs the fingerprint of the request: it tells a retry from another request.
  const hash = key && request ? requestHash({ params: request.params, body: request.body }) : '';

  // The latest attempt's decision; runCommand decides again after a version conflict.
  let decided: { events: E[]; enveloped: AnyEvent[] } = { events: [], enveloped: [] };
  let answer: Answer<B, S> | undefined;
  const answerOnce = () => (answer = opts.answer(decided.events));
  const project = opts.project;
  const scope = request ? scopeOf(request, ctx) : '';
  const result = await runCommand<Decision<E, ProblemCode> & { ok: false }>({
    pool: store.pool,
    schema: store.schema,
    streamId: opts.streamId,
    newStream: opts.newStream ?? false,
    decide: (recorded) => {
      const decision = opts.decide(recorded.map((r) => toDomainEvent<E>(r)));
      if (!decision.ok) return { ok: false, rejection: decision };
      const time = ctx.now.toISOString();
      const enveloped = sealed(decision.events.map((e) =>
        makeEvent(e.type, e.data as EventData<typeof e.type>, {
          source: store.source,
          time,
          ...(opts.caseId ? { subject: opts.caseId } : {}),
          area: opts.area,
          correlationid: ctx.correlationid,
          causationid: ctx.causationid,
          actor: ctx.actor,
        }),
      ), opts.seal);
      decided = { events: decision.events, enveloped };
      answer = undefined;
      return { ok: true, events: enveloped.map(toStoredEvent) };
    },
    ...(key
      ? {
          idempotency: {
            scope,
            key,
            requestHash: hash,
            answer: () => {
              const a = answerOnce();
              return { status: a.status, response: a.body };
            },
          },
        }
      : {}),
    ...(project ? { inTransaction: (client) => project(client, decided.enveloped) } : {}),
  });

  if (result.ok) return answer ?? answerOnce();
  const error = result.error;
  switch (error.kind) {
    case 'rejected': {
      // The key is checked with the append, which a refusal never reaches: a retry of a command
      // that succeeded (a second decline of one referral) is refused by the decider, yet owes the
      // first answer. Only a refusal pays for this look-up.
      if (key) {
        const recorded = await findIdempotent(store.pool, store.schema, scope, key);
        if (recorded) return replay<B, S>(recorded, hash);
      }
      const { code, message } = error.rejection.rejection;
      throw problem(code, message);
    }
    case 'already_answered':
      return replay<B, S>(error.answer, hash);
    case 'aborted':
      throw new Error('a command aborted its own transaction');
    case 'version_conflict':
      throw problem('CONFLICT', 'Someone else changed this record at the same moment. Reload it and try again if it still applies.');
  }
}
