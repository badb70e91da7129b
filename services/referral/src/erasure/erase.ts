import type { FastifyRequest } from 'fastify';
import { casesOfChild, type CaseRow } from '@syv/case-view';
import { earlierAnswer, executeCommand, type Answer, type CommandContext, type CommandService } from '@syv/command-service';
import type { ErasureLegalBasis } from '@syv/contracts';
import { fold } from '@syv/decider';
import { problem } from '@syv/service-kit';
import { childStreamId, type ChildEvent } from '../referral/decider.js';
import { childErasureDecider, type ErasureState, type RecordedErasure } from './decider.js';

export interface ErasureAsked {
  childId: string;
  area: string;
  legalBasis: ErasureLegalBasis;
  reason: string;
}

/**
 * One erasure of a child in an area, whoever asks: a data protection officer's request (with its
 * Idempotency-Key) or the retention job (the service's own actor). `ctx.actor.sub` is who erased.
 */
export async function eraseChild(
  service: CommandService,
  asked: ErasureAsked,
  by: { ctx: CommandContext; request?: FastifyRequest; unlessNo?: (cases: CaseRow[]) => string | undefined },
): Promise<Answer<RecordedErasure, 200>> {
  const { childId: child, area, legalBasis, reason } = asked;
  const { ctx } = by;
  const erasedBy = ctx.actor.sub;
  // A retried request never deletes again: a key created since (the child referred again) would
  // go with it, and nothing would record it. Its first answer stands.
  if (by.request) {
    const earlier = await earlierAnswer<RecordedErasure, 200>(service.store, by.request, ctx);
    if (earlier) return earlier;
  }
  // Nothing is deleted for a child with no case here. The service's case view has every case
  // this service opened as soon as it committed (its own write, not Kafka's echo).
  const cases = await casesOfChild(service.store.pool, service.store.schema, area, child);
  if (cases.length === 0) {
    throw problem('CHILD_NOT_FOUND', `Child ${child} has no case in area ${area}.`);
  }
  // A caller's condition on the cases as they are now, just before anything is deleted (the
  // retention job: every case still closed, and closed long enough).
  const refused = by.unlessNo?.(cases);
  if (refused) throw problem('CONFLICT', refused);
  // The keys first, then the record. Stopping between the two leaves the texts unreadable and
  // the erasure not yet in the history: the request failed, so it is asked again, deletes
  // nothing more, and records the keys it finds already erased (the decider compares every
  // tombstone with the keys already recorded). The other order could leave a history that
  // says "erased" over texts that can still be read.
  await service.keys.erase({ area, childId: child }, erasedBy);
  const erasedKeys = (await service.keys.erasedKeys({ area, childId: child })).map((k) => ({ keyId: k.keyId, erasedAt: k.erasedAt.toISOString() }));
  let state: ErasureState | undefined;
  return executeCommand<ChildEvent, RecordedErasure, 200>({
    store: service.store,
    ...(by.request ? { request: by.request } : {}),
    ctx,
    streamId: childStreamId(area, child),
    area,
    decide: (history) => {
      state = fold(childErasureDecider, history);
      const command = { kind: 'erase' as const, childId: child, area, erasedBy, legalBasis, reason, erasedKeys, at: ctx.now.toISOString() };
      return childErasureDecider.decide(command, state);
    },
    answer: (events) => {
      const after = events.reduce(childErasureDecider.evolve, state ?? childErasureDecider.initialState());
      if (!after.last) throw new Error('an erasure that is answered has been recorded');
      const e = after.last;
      return { status: 200, body: { childId: e.childId, area: e.area, erasedAt: e.erasedAt, keyIds: e.keyIds, cases: e.cases } };
    },
  });
}
