import type { CaseEvent } from '@syv/contracts';

/**
 * When the fact an event records happened, as its data says. Allocations, held and rejected
 * closures are decisions about the case or a request, and a correction or an erasure is one about the record, not
 * facts about the child, and have none.
 */
export function domainTimeOf(event: CaseEvent): string | undefined {
  switch (event.type) {
    case 'referral.received.v1':
      return event.data.receivedAt;
    case 'case.opened.v1':
      return event.data.openedAt;
    case 'onward-referral.made.v1':
      return event.data.referredAt;
    case 'onward-referral.started.v1':
      return event.data.startedAt;
    case 'onward-referral.declined.v1':
      return event.data.declinedAt;
    case 'onward-referral.withdrawn.v1':
      return event.data.withdrawnAt;
    case 'onward-referral.ended.v1':
      return event.data.endedAt;
    case 'intervention.logged.v1':
      return event.data.deliveredAt;
    case 'incident.recorded.v1':
      return event.data.occurredAt;
    case 'risk.assessed.v1':
      return event.data.assessedAt;
    case 'closure.requested.v1':
      return event.data.requestedAt;
    case 'closure.assessed.v1':
      return event.data.assessedAt;
    case 'case.closed.v1':
      return event.data.closedAt;
    case 'case.reopened.v1':
      return event.data.reopenedAt;
    case 'case.allocated.v1':
    case 'closure.held.v1':
    case 'closure.rejected.v1':
    case 'record.amended.v1':
    case 'child.erased.v1':
      return undefined;
  }
}
