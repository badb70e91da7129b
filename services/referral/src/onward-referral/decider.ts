import { accept, reject, type Decider, type Decision } from '@syv/decider';
import type { Agency, DomainEvent } from '@syv/contracts';
import type { ProblemCode } from '@syv/service-kit';

// One stream per onward referral (e.g. to CAMHS): made, then started. The time between the two
// is the wait the report's child spent from 11 to 13.

export type OnwardEvent = DomainEvent<'onward-referral.made.v1' | 'onward-referral.started.v1'>;

export type OnwardCommand =
  | { kind: 'make'; onwardReferralId: string; caseId: string; agency: Agency; reason: string; referredAt: string }
  | { kind: 'start'; onwardReferralId: string; startedAt: string };

export interface OnwardState {
  made?: { caseId: string; agency: Agency; referredAt: string };
  startedAt?: string;
}

export type OnwardRejection = Extract<ProblemCode, 'ONWARD_REFERRAL_EXISTS' | 'NOT_FOUND' | 'STARTED_BEFORE_REFERRAL' | 'ALREADY_STARTED'>;

function evolve(state: OnwardState, event: OnwardEvent): OnwardState {
  switch (event.type) {
    case 'onward-referral.made.v1':
      return { made: { caseId: event.data.caseId, agency: event.data.agency, referredAt: event.data.referredAt } };
    case 'onward-referral.started.v1':
      return { ...state, startedAt: event.data.startedAt };
  }
}

function decide(command: OnwardCommand, state: OnwardState): Decision<OnwardEvent, OnwardRejection> {
  switch (command.kind) {
    case 'make':
      if (state.made) return reject('ONWARD_REFERRAL_EXISTS', 'This onward referral has already been recorded.');
      return accept({
        type: 'onward-referral.made.v1',
        data: { onwardReferralId: command.onwardReferralId, caseId: command.caseId, agency: command.agency, reason: command.reason, referredAt: command.referredAt },
      });
    case 'start': {
      const made = state.made;
      if (!made) return reject('NOT_FOUND', 'There is no onward referral with this id.');
      if (state.startedAt) {
        return reject('ALREADY_STARTED', `This onward referral to ${made.agency} already started on ${state.startedAt}; it cannot start twice.`);
      }
      if (Date.parse(command.startedAt) < Date.parse(made.referredAt)) {
        return reject(
          'STARTED_BEFORE_REFERRAL',
          `The start date ${command.startedAt} is before the referral to ${made.agency} was made (${made.referredAt}); check the date.`,
        );
      }
      return accept({ type: 'onward-referral.started.v1', data: { onwardReferralId: command.onwardReferralId, caseId: made.caseId, startedAt: command.startedAt } });
    }
  }
}

export const onwardReferralDecider: Decider<OnwardCommand, OnwardEvent, OnwardState, OnwardRejection> = {
  initialState: () => ({}),
  evolve,
  decide,
};

export function onwardStreamId(onwardReferralId: string): string {
  return `onward-referral-${onwardReferralId}`;
}
