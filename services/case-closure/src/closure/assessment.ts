import type pg from 'pg';
import { causedBy, makeEvent, type CaseEvent, type EventData } from '@syv/contracts';
import { toDomainEvent, toStoredEvent, type CommandService } from '@syv/command-service';
import { fold } from '@syv/decider';
import { appendToStream, readStream } from '@syv/event-store';
import { projectClosureRequests } from './closure-requests.js';
import { closureDecider, type ClosureEvent } from './decider.js';
import { closureStreamId } from './routes.js';

/**
 * The saga's second step, run in the case-events consumer's transaction: the projection's
 * assessment of a closure request closes the case (no flags) or holds it for a supervisor. The
 * append, the closure_requests row and the consumer's offset commit together, so a crash replays
 * the assessment and the decider ignores one already applied.
 */
export async function applyAssessment(client: pg.PoolClient, event: CaseEvent, service: CommandService): Promise<void> {
  if (event.type !== 'closure.assessed.v1') return;
  const { schema, source } = service.store;
  const streamId = closureStreamId(event.data.caseId);
  const stream = await readStream(client, schema, streamId);
  const decision = closureDecider.decide(
    {
      kind: 'apply-assessment',
      closureRequestId: event.data.closureRequestId,
      caseId: event.data.caseId,
      flags: event.data.flags,
      assessedAt: event.data.assessedAt,
    },
    fold(
      closureDecider,
      stream.events.map((e) => toDomainEvent<ClosureEvent>(e)),
    ),
  );
  if (!decision.ok || decision.events.length === 0) return;
  const enveloped = decision.events.map((e) =>
    makeEvent(e.type, e.data as EventData<typeof e.type>, {
      source,
      time: event.data.assessedAt,
      ...causedBy(event),
      actor: { sub: 'case-closure', role: 'system' },
    }),
  );
  const appended = await appendToStream(client, schema, streamId, stream.version, enveloped.map(toStoredEvent));
  // A supervisor or requester wrote to this case at the same instant: throw, the consumer rolls the
  // batch back and Kafka delivers it again, and the decision is made again on the newer stream.
  if (!appended.ok) throw new Error(`closure stream ${streamId} changed while applying an assessment; retrying`);
  await projectClosureRequests(client, schema, enveloped);
  service.logger.info({ caseId: event.data.caseId, closureRequestId: event.data.closureRequestId, outcome: decision.events[0]?.type }, 'closure assessment applied');
}
