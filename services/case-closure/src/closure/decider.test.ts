import { describe, expect, it } from 'vitest';
import { spec } from '@syv/decider/testing';
import { closureDecider, type ClosureEvent } from './decider.js';

const caseId = '6f1c7a2e-1d55-4f7e-9a51-0b7c9a1d2e01';
const requestId = '0a5b3c1d-2e4f-4a6b-8c7d-9e0f1a2b3c4d';
const flag = { rule: 'CLOSURE_PENDING_ONWARD_REFERRAL' as const, severity: 'high' as const, explanation: 'CAMHS referral made 40 days ago has not started.', evidence: [requestId] };
const requested: ClosureEvent = {
  type: 'closure.requested.v1',
  data: { closureRequestId: requestId, caseId, reason: 'support_completed', summary: 'Plan complete.', requestedAt: '2026-03-01T10:00:00.000Z', requestedBy: 'sw-1' },
};
const held: ClosureEvent = { type: 'closure.held.v1', data: { closureRequestId: requestId, caseId, flags: [flag] } };
const closed: ClosureEvent = {
  type: 'case.closed.v1',
  data: { caseId, closureRequestId: requestId, reason: 'support_completed', closedAt: '2026-03-01T10:00:01.000Z' },
};
const rationale = 'CAMHS confirmed first appointment next week; youth worker continues.';
const given = spec(closureDecider).given;

describe('closure request', () => {
  it('is recorded on an open case with nothing pending', () => {
    given([])
      .when({ kind: 'request', closureRequestId: requestId, caseId, reason: 'support_completed', summary: 'Plan complete.', requestedAt: '2026-03-01T10:00:00.000Z', requestedBy: 'sw-1' })
      .then([requested]);
  });
  it('is refused on a closed case', () => {
    given([requested, closed])
      .when({ kind: 'request', closureRequestId: 'x', caseId, reason: 'moved_area', summary: 's', requestedAt: '2026-03-02T10:00:00.000Z', requestedBy: 'sw-1' })
      .thenRejects('CASE_CLOSED');
  });
  it('is refused while another request is being assessed or held', () => {
    const second = { kind: 'request', closureRequestId: 'x', caseId, reason: 'moved_area', summary: 's', requestedAt: '2026-03-02T10:00:00.000Z', requestedBy: 'sw-1' } as const;
    given([requested]).when(second).thenRejects('CLOSURE_ALREADY_REQUESTED');
    given([requested, held]).when(second).thenRejects('CLOSURE_ALREADY_REQUESTED');
  });
  it('may be made again after a rejection', () => {
    const rejected: ClosureEvent = { type: 'closure.rejected.v1', data: { closureRequestId: requestId, caseId, rejectedBy: 'sup-1', rationale } };
    const events = given([requested, held, rejected])
      .when({ kind: 'request', closureRequestId: 'second', caseId, reason: 'moved_area', summary: 's', requestedAt: '2026-04-02T10:00:00.000Z', requestedBy: 'sw-1' })
      .events();
    if (events[0]?.type !== 'closure.requested.v1') throw new Error('expected a closure request');
  });
});

describe('assessment outcome', () => {
  it('closes the case at once when there are no flags, with the assessment time', () => {
    given([requested]).when({ kind: 'apply-assessment', closureRequestId: requestId, caseId, flags: [], assessedAt: '2026-03-01T10:00:01.000Z' }).then([closed]);
  });
  it('holds the request for a supervisor when there are flags', () => {
    given([requested]).when({ kind: 'apply-assessment', closureRequestId: requestId, caseId, flags: [flag], assessedAt: '2026-03-01T10:00:01.000Z' }).then([held]);
  });
  it('ignores a repeated or stale assessment', () => {
    given([requested, held]).when({ kind: 'apply-assessment', closureRequestId: requestId, caseId, flags: [], assessedAt: '2026-03-01T10:00:02.000Z' }).then([]);
    given([requested]).when({ kind: 'apply-assessment', closureRequestId: 'other', caseId, flags: [], assessedAt: '2026-03-01T10:00:02.000Z' }).then([]);
    given([]).when({ kind: 'apply-assessment', closureRequestId: requestId, caseId, flags: [], assessedAt: '2026-03-01T10:00:02.000Z' }).then([]);
  });
});

describe('supervisor decision', () => {
  const decision = (d: 'approve' | 'reject', r = rationale) =>
    ({ kind: 'decide', closureRequestId: requestId, caseId, decision: d, rationale: r, supervisor: 'sup-1', decidedAt: '2026-03-03T09:00:00.000Z' }) as const;
  it('approving a held closure closes the case with who and why', () => {
    given([requested, held])
      .when(decision('approve'))
      .then([
        {
          type: 'case.closed.v1',
          data: { caseId, closureRequestId: requestId, reason: 'support_completed', closedAt: '2026-03-03T09:00:00.000Z', approvedBy: 'sup-1', requestedBy: 'sw-1', rationale },
        },
      ]);
  });
  it('rejecting keeps the case open', () => {
    given([requested, held])
      .when(decision('reject'))
      .then([{ type: 'closure.rejected.v1', data: { closureRequestId: requestId, caseId, rejectedBy: 'sup-1', requestedBy: 'sw-1', rationale } }]);
  });
  it('needs a written rationale of at least 20 characters', () => {
    given([requested, held]).when(decision('approve', '   ok   ')).thenRejects('RATIONALE_REQUIRED');
    given([requested, held]).when(decision('approve', 'x'.repeat(19))).thenRejects('RATIONALE_REQUIRED');
    given([requested, held]).when(decision('approve', 'x'.repeat(20))).events();
  });
  it('is only possible on a held request', () => {
    given([requested]).when(decision('approve')).thenRejects('CLOSURE_REQUEST_NOT_HELD');
    given([requested, closed]).when(decision('approve')).thenRejects('CLOSURE_REQUEST_NOT_HELD');
    given([]).when(decision('reject')).thenRejects('CLOSURE_REQUEST_NOT_HELD');
  });
  it('is not made by the supervisor who requested the closure: four eyes', () => {
    const own = { ...requested, data: { ...requested.data, requestedBy: 'sup-1' } } as ClosureEvent;
    given([own, held]).when(decision('approve')).thenRejects('FOUR_EYES');
    given([own, held]).when(decision('reject')).thenRejects('FOUR_EYES');
    given([own, held]).when({ ...decision('approve'), supervisor: 'sup-2' }).events();
  });
  it('knows the requester of a request recorded before requests named them, from the record of requests', () => {
    const { requestedBy: _unnamed, ...older } = requested.data as typeof requested.data & { requestedBy?: string };
    const before = { type: 'closure.requested.v1', data: older } as ClosureEvent;
    given([before, held]).when({ ...decision('approve'), requestedByOnRecord: 'sup-1' }).thenRejects('FOUR_EYES');
    const events = given([before, held]).when({ ...decision('approve'), requestedByOnRecord: 'sw-9' }).events();
    expect(events[0]?.data).toMatchObject({ approvedBy: 'sup-1', requestedBy: 'sw-9' });
  });
  it('cannot be made twice', () => {
    const first = given([requested, held]).when(decision('approve')).events();
    given([requested, held, ...first]).when(decision('reject')).thenRejects('CLOSURE_REQUEST_NOT_HELD');
  });
});

describe('reopen', () => {
  it('reopens a closed case', () => {
    given([requested, closed])
      .when({ kind: 'reopen', caseId, reason: 'New concerns from school', reopenedAt: '2026-05-01T08:00:00.000Z' })
      .then([{ type: 'case.reopened.v1', data: { caseId, reason: 'New concerns from school', reopenedAt: '2026-05-01T08:00:00.000Z' } }]);
  });
  it('is refused on an open case', () => {
    given([]).when({ kind: 'reopen', caseId, reason: 'r', reopenedAt: '2026-05-01T08:00:00.000Z' }).thenRejects('CASE_NOT_CLOSED');
  });
});
