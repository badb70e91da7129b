import { accept, reject, type Decider, type Decision } from '@syv/decider';
import type { ClosureFlag, ClosureReason, DomainEvent } from '@syv/contracts';
import type { ProblemCode } from '@syv/service-kit';

// One stream per case in this service: every closure request, assessment outcome, supervisor
// decision and reopening of that case, so two people acting on one case at once meet here.

export type ClosureEvent = DomainEvent<'closure.requested.v1' | 'closure.held.v1' | 'case.closed.v1' | 'closure.rejected.v1' | 'case.reopened.v1'>;

export type ClosureCommand =
  | { kind: 'request'; closureRequestId: string; caseId: string; reason: ClosureReason; summary: string; requestedAt: string; requestedBy: string }
  | { kind: 'apply-assessment'; closureRequestId: string; caseId: string; flags: ClosureFlag[]; assessedAt: string }
  | {
      kind: 'decide';
      closureRequestId: string;
      caseId: string;
      decision: 'approve' | 'reject';
      rationale: string;
      supervisor: string;
      decidedAt: string;
      /**
       * Who made the request, as the service's closure requests table recorded it (the event's
       * actor): for a request recorded before `closure.requested` carried `requestedBy`.
       */
      requestedByOnRecord?: string;
    }
  | { kind: 'reopen'; caseId: string; reason: string; reopenedAt: string };

export type RequestStatus = 'pending_assessment' | 'held_for_review';

export interface ClosureState {
  closed: boolean;
  /** The one closure request still awaiting an outcome, if any. */
  pending?: { closureRequestId: string; status: RequestStatus; reason: ClosureReason; flags: ClosureFlag[]; requestedBy?: string };
}

export type ClosureRejection = Extract<ProblemCode, 'CASE_CLOSED' | 'CLOSURE_ALREADY_REQUESTED' | 'CLOSURE_REQUEST_NOT_HELD' | 'RATIONALE_REQUIRED' | 'CASE_NOT_CLOSED' | 'FOUR_EYES'>;

/** Minimum words a supervisor writes when overriding flags: a reason, not a tick. */
export const MIN_RATIONALE_LENGTH = 20;

function evolve(state: ClosureState, event: ClosureEvent): ClosureState {
  switch (event.type) {
    case 'closure.requested.v1':
      return {
        ...state,
        pending: {
          closureRequestId: event.data.closureRequestId,
          status: 'pending_assessment',
          reason: event.data.reason,
          flags: [],
          ...(event.data.requestedBy === undefined ? {} : { requestedBy: event.data.requestedBy }),
        },
      };
    case 'closure.held.v1':
      return state.pending ? { ...state, pending: { ...state.pending, status: 'held_for_review', flags: event.data.flags } } : state;
    case 'case.closed.v1':
      return { closed: true };
    case 'closure.rejected.v1':
      return { closed: state.closed };
    case 'case.reopened.v1':
      return { closed: false };
  }
}

function decide(command: ClosureCommand, state: ClosureState): Decision<ClosureEvent, ClosureRejection> {
  switch (command.kind) {
    case 'request': {
      if (state.closed) {
        return reject('CASE_CLOSED', 'This case is already closed. Reopen it first if the child needs support again.');
      }
      if (state.pending) {
        const what = state.pending.status === 'held_for_review' ? 'is held for a supervisor to review' : 'is being assessed';
        return reject(
          'CLOSURE_ALREADY_REQUESTED',
          `A closure request for this case ${what} (${state.pending.closureRequestId}); wait for its outcome before asking again.`,
        );
      }
      return accept({
        type: 'closure.requested.v1',
        data: {
          closureRequestId: command.closureRequestId,
          caseId: command.caseId,
          reason: command.reason,
          summary: command.summary,
          requestedAt: command.requestedAt,
          requestedBy: command.requestedBy,
        },
      });
    }
    case 'apply-assessment': {
      // The assessment answers one request; a late or repeated one changes nothing.
      const pending = state.pending;
      if (!pending || pending.closureRequestId !== command.closureRequestId || pending.status !== 'pending_assessment') return accept();
      if (command.flags.length === 0) {
        return accept({
          type: 'case.closed.v1',
          data: { caseId: command.caseId, closureRequestId: command.closureRequestId, reason: pending.reason, closedAt: command.assessedAt },
        });
      }
      return accept({ type: 'closure.held.v1', data: { closureRequestId: command.closureRequestId, caseId: command.caseId, flags: command.flags } });
    }
    case 'decide': {
      const pending = state.pending;
      if (!pending || pending.closureRequestId !== command.closureRequestId || pending.status !== 'held_for_review') {
        return reject(
          'CLOSURE_REQUEST_NOT_HELD',
          'This closure request is not held for review, so there is nothing to approve or reject: it may already be decided, closed by itself, or still being assessed.',
        );
      }
      // Four eyes: a flagged closure is decided by someone other than the person who asked for it.
      const requester = pending.requestedBy ?? command.requestedByOnRecord;
      if (requester === command.supervisor) {
        return reject('FOUR_EYES', 'You asked for this closure, so another supervisor must approve or reject it.');
      }
      const requestedBy = requester === undefined ? {} : { requestedBy: requester };
      const rationale = command.rationale.trim();
      if (rationale.length < MIN_RATIONALE_LENGTH) {
        return reject(
          'RATIONALE_REQUIRED',
          `Write down why (at least ${MIN_RATIONALE_LENGTH} characters): the flags on this closure need an answer the child's next worker can read.`,
        );
      }
      if (command.decision === 'approve') {
        return accept({
          type: 'case.closed.v1',
          data: {
            caseId: command.caseId,
            closureRequestId: command.closureRequestId,
            reason: pending.reason,
            closedAt: command.decidedAt,
            approvedBy: command.supervisor,
            ...requestedBy,
            rationale,
          },
        });
      }
      return accept({
        type: 'closure.rejected.v1',
        data: { closureRequestId: command.closureRequestId, caseId: command.caseId, rejectedBy: command.supervisor, ...requestedBy, rationale },
      });
    }
    case 'reopen': {
      if (!state.closed) return reject('CASE_NOT_CLOSED', 'This case is open, so there is nothing to reopen.');
      return accept({ type: 'case.reopened.v1', data: { caseId: command.caseId, reason: command.reason, reopenedAt: command.reopenedAt } });
    }
  }
}

export const closureDecider: Decider<ClosureCommand, ClosureEvent, ClosureState, ClosureRejection> = {
  initialState: () => ({ closed: false }),
  evolve,
  decide,
};

/** The status a reader of GET /v1/closure-requests/{id} sees after an event of that request. */
export function statusAfter(event: ClosureEvent): 'pending_assessment' | 'held_for_review' | 'closed' | 'rejected' | undefined {
  switch (event.type) {
    case 'closure.requested.v1':
      return 'pending_assessment';
    case 'closure.held.v1':
      return 'held_for_review';
    case 'case.closed.v1':
      return 'closed';
    case 'closure.rejected.v1':
      return 'rejected';
    case 'case.reopened.v1':
      return undefined;
  }
}
