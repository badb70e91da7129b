import type { CaseEvent } from '@syv/contracts';
import type { AlertCandidate } from './alerts.js';
import { flagChanges, type CaseState, type FlagChanges } from './case-state.js';
import { childKey, childRereferrals, type ChildFacts, type ChildRereferrals } from './rereferral.js';
import { step, type Assessment, type RuleSettings, type StepEffects } from './step.js';

/** Where an event sits in the log. */
export interface LogPosition {
  topic: string;
  partition: number;
  offset: string;
}

export interface Positioned {
  event: CaseEvent;
  at: LogPosition;
}

/** Everything a slice of events changes, worked out in memory before one bulk write. */
interface SliceFold {
  /** The touched cases' states after the slice. */
  cases: Map<string, CaseState>;
  /** How the touched cases' own flags differ from before the slice. */
  flagChanges: FlagChanges;
  referrals: NonNullable<StepEffects['referral']>[];
  onward: Map<string, NonNullable<StepEffects['onward']>>;
  closures: NonNullable<StepEffects['closure']>[];
  assessments: Assessment[];
  /** In the order the one-event-at-a-time rules raise them; the first of a key wins. */
  alerts: AlertCandidate[];
  /** Children whose cases the re-referral rule looks at again after this slice. */
  children: Map<string, { area: string; childId: string }>;
}

/**
 * Applies new events, in log order, to the states of their cases: pure, and the same whether the
 * events come one at a time or thousands at once. `states` holds the touched cases' states as
 * stored (a case missing there is new).
 */
/** The columns of an onward referral's row that one of its events fills. */
const ONWARD_COLUMNS = ['agency', 'referredAt', 'startedAt', 'declinedAt', 'withdrawnAt', 'endedAt', 'outcome'] as const;
type OnwardColumn = (typeof ONWARD_COLUMNS)[number];

export function foldEvents(states: ReadonlyMap<string, CaseState>, events: readonly Positioned[], settings: RuleSettings): SliceFold {
  const out: SliceFold = { cases: new Map(), flagChanges: { removed: [], upserted: [] }, referrals: [], onward: new Map(), closures: [], assessments: [], alerts: [], children: new Map() };
  const current = (caseId: string) => out.cases.get(caseId) ?? states.get(caseId);
  for (const { event } of events) {
    const before = current(event.subject);
    const { state, effects } = step(before, event, settings);
    out.cases.set(state.caseId, state);
    // A flag the case had before this event was alerted when it started; the alert is raised once.
    const had = new Set(before?.flags.map((f) => f.key));
    out.alerts.push(...effects.alerts.filter((a) => a.caseId !== state.caseId || !had.has(a.flag.key)));
    if (effects.referral) out.referrals.push(effects.referral);
    if (effects.onward) {
      // Each event of an onward referral fills its own columns, whichever came first.
      const o = effects.onward;
      const was = out.onward.get(o.onwardReferralId);
      const kept = <K extends OnwardColumn>(k: K) => ((o[k] ?? was?.[k]) === undefined ? {} : { [k]: o[k] ?? was?.[k] });
      out.onward.set(o.onwardReferralId, { ...(was ?? o), ...ONWARD_COLUMNS.reduce((row, k) => ({ ...row, ...kept(k) }), {}) });
    }
    if (effects.closure) out.closures.push(effects.closure);
    if (effects.assessment) out.assessments.push(effects.assessment);
    if (effects.child) out.children.set(childKey(effects.child.area, effects.child.childId), effects.child);
  }
  for (const [caseId, state] of out.cases) flagChanges(caseId, states.get(caseId)?.flags ?? [], state.flags, out.flagChanges);
  return out;
}

/** The re-referral rule over each child the slice touched, on the child's facts with the slice's own added. */
export function rereferralsOf(fold: SliceFold, stored: ReadonlyMap<string, ChildFacts>, settings: RuleSettings): Map<string, { facts: ChildFacts; result: ChildRereferrals }> {
  const out = new Map<string, { facts: ChildFacts; result: ChildRereferrals }>();
  for (const [key, { area, childId }] of fold.children) {
    const had = stored.get(key) ?? { area, childId, referrals: [], closures: [] };
    const known = new Set([...had.referrals.map((r) => r.referralId), ...had.closures.map((c) => c.closureRequestId)]);
    const facts: ChildFacts = {
      area,
      childId,
      referrals: [
        ...had.referrals,
        ...fold.referrals
          .filter((r) => r.area === area && r.childId === childId && !known.has(r.referralId))
          .map((r) => ({
            caseId: r.caseId,
            eventId: r.eventId,
            referralId: r.referralId,
            sourceAgency: r.sourceAgency,
            receivedAt: new Date(r.receivedAt),
            reReferral: r.reReferral,
            cause: { id: r.eventId, correlationid: r.correlationId },
            recordedAt: new Date(r.recordedAt),
          })),
      ],
      closures: [...had.closures, ...fold.closures.filter((c) => c.area === area && c.childId === childId && !known.has(c.closureRequestId))],
    };
    out.set(key, { facts, result: childRereferrals(facts, settings.thresholdsFor(area)) });
  }
  return out;
}
