import { accept, reject, type Decider, type Decision } from '@syv/decider';
import type { Agency, DomainEvent, SupportOutcome } from '@syv/contracts';
import type { ProblemCode } from '@syv/service-kit';

// One stream per onward referral (e.g. to CAMHS): made, then started, and then the support ended;
// or, instead of starting, declined by the receiving agency or withdrawn by the referrer. The time
// from made to started is the wait the report's child spent from 11 to 13; from started to ended,
// the length of support. A declined, withdrawn or ended referral takes no other outcome.

export type OnwardEvent = DomainEvent<
  'onward-referral.made.v1' | 'onward-referral.started.v1' | 'onward-referral.declined.v1' | 'onward-referral.withdrawn.v1' | 'onward-referral.ended.v1'
>;

export type OnwardCommand =
  | { kind: 'make'; onwardReferralId: string; caseId: string; agency: Agency; reason: string; referredAt: string }
  | { kind: 'start'; onwardReferralId: string; startedAt: string }
  | { kind: 'decline'; onwardReferralId: string; reason: string; declinedAt: string }
  | { kind: 'withdraw'; onwardReferralId: string; reason: string; withdrawnAt: string }
  | { kind: 'end'; onwardReferralId: string; outcome: SupportOutcome; endedAt: string; reason?: string | undefined };

/** How the referral ended, once it has: the last word of its stream. */
export type OnwardOutcome = { kind: 'declined'; at: string } | { kind: 'withdrawn'; at: string } | { kind: 'ended'; at: string; outcome: SupportOutcome };

export interface OnwardState {
  made?: { caseId: string; agency: Agency; referredAt: string };
  startedAt?: string;
  outcome?: OnwardOutcome;
}

export type OnwardRejection = Extract<
  ProblemCode,
  | 'ONWARD_REFERRAL_EXISTS'
  | 'NOT_FOUND'
  | 'STARTED_BEFORE_REFERRAL'
  | 'ALREADY_STARTED'
  | 'OUTCOME_BEFORE_REFERRAL'
  | 'ENDED_BEFORE_START'
  | 'ONWARD_REFERRAL_STARTED'
  | 'ONWARD_REFERRAL_NOT_STARTED'
  | 'OUTCOME_ALREADY_RECORDED'
>;

function evolve(state: OnwardState, event: OnwardEvent): OnwardState {
  switch (event.type) {
    case 'onward-referral.made.v1':
      return { made: { caseId: event.data.caseId, agency: event.data.agency, referredAt: event.data.referredAt } };
    case 'onward-referral.started.v1':
      return { ...state, startedAt: event.data.startedAt };
    case 'onward-referral.declined.v1':
      return { ...state, outcome: { kind: 'declined', at: event.data.declinedAt } };
    case 'onward-referral.withdrawn.v1':
      return { ...state, outcome: { kind: 'withdrawn', at: event.data.withdrawnAt } };
    case 'onward-referral.ended.v1':
      return { ...state, outcome: { kind: 'ended', at: event.data.endedAt, outcome: event.data.outcome } };
  }
}

const before = (a: string, b: string) => Date.parse(a) < Date.parse(b);

/** The referral's outcome in words, for a refusal that names it. */
function outcomeInWords(made: NonNullable<OnwardState['made']>, outcome: OnwardOutcome): string {
  switch (outcome.kind) {
    case 'declined':
      return `This onward referral to ${made.agency} was declined on ${outcome.at}`;
    case 'withdrawn':
      return `This onward referral to ${made.agency} was withdrawn on ${outcome.at}`;
    case 'ended':
      return `The support of this onward referral to ${made.agency} ended on ${outcome.at} (${outcome.outcome})`;
  }
}

/** What every command but `make` first asks: the referral exists and has no outcome yet. */
function refusal(state: OnwardState, tried: string): Decision<OnwardEvent, OnwardRejection> | undefined {
  if (!state.made) return reject('NOT_FOUND', 'There is no onward referral with this id.');
  if (state.outcome) return reject('OUTCOME_ALREADY_RECORDED', `${outcomeInWords(state.made, state.outcome)}; it cannot ${tried}.`);
  return undefined;
}

/** A decline or withdrawal: only while the child is still waiting, and not dated before the referral. */
function beforeStart(state: OnwardState, what: 'declined' | 'withdrawn', at: string): Decision<OnwardEvent, OnwardRejection> | undefined {
  const refused = refusal(state, `be ${what} as well`);
  if (refused) return refused;
  const made = state.made!;
  if (state.startedAt) {
    return reject('ONWARD_REFERRAL_STARTED', `This onward referral to ${made.agency} started on ${state.startedAt}, so it can no longer be ${what}; record how its support ended instead.`);
  }
  if (before(at, made.referredAt)) {
    return reject('OUTCOME_BEFORE_REFERRAL', `The date ${at} is before the referral to ${made.agency} was made (${made.referredAt}); check the date.`);
  }
  return undefined;
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
      const refused = refusal(state, 'start');
      if (refused) return refused;
      const made = state.made!;
      if (state.startedAt) {
        return reject('ALREADY_STARTED', `This onward referral to ${made.agency} already started on ${state.startedAt}; it cannot start twice.`);
      }
      if (before(command.startedAt, made.referredAt)) {
        return reject(
          'STARTED_BEFORE_REFERRAL',
          `The start date ${command.startedAt} is before the referral to ${made.agency} was made (${made.referredAt}); check the date.`,
        );
      }
      return accept({ type: 'onward-referral.started.v1', data: { onwardReferralId: command.onwardReferralId, caseId: made.caseId, startedAt: command.startedAt } });
    }
    case 'decline': {
      const refused = beforeStart(state, 'declined', command.declinedAt);
      const { onwardReferralId, reason, declinedAt } = command;
      return refused ?? accept({ type: 'onward-referral.declined.v1', data: { onwardReferralId, caseId: state.made!.caseId, reason, declinedAt } });
    }
    case 'withdraw': {
      const refused = beforeStart(state, 'withdrawn', command.withdrawnAt);
      const { onwardReferralId, reason, withdrawnAt } = command;
      return refused ?? accept({ type: 'onward-referral.withdrawn.v1', data: { onwardReferralId, caseId: state.made!.caseId, reason, withdrawnAt } });
    }
    case 'end': {
      const refused = refusal(state, 'end');
      if (refused) return refused;
      const made = state.made!;
      if (!state.startedAt) {
        return reject('ONWARD_REFERRAL_NOT_STARTED', `This onward referral to ${made.agency} has not started, so its support cannot end; record the start first, or that it was declined or withdrawn.`);
      }
      if (before(command.endedAt, state.startedAt)) {
        return reject('ENDED_BEFORE_START', `The end date ${command.endedAt} is before the support of ${made.agency} started (${state.startedAt}); check the date.`);
      }
      return accept({
        type: 'onward-referral.ended.v1',
        data: {
          onwardReferralId: command.onwardReferralId,
          caseId: made.caseId,
          endedAt: command.endedAt,
          outcome: command.outcome,
          ...(command.reason === undefined ? {} : { reason: command.reason }),
        },
      });
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
