import { CASE_EVENT_TYPES, personalFieldsOf, type Agency, type CaseEvent, type EventOf } from '@syv/contracts';
import { evaluateClosure, eventLanguageFlags, isUsedType, type CaseHistory, type ClosureItem, type LabellingMatcher } from '../rules/index.js';
import { areaRulesOf, DEFAULT_THRESHOLDS, type Thresholds, type ThresholdsConfig } from '@syv/area-config';
import { alertCandidates, causeOf, closureAssessedEvent, contractFlag, type AlertCandidate } from './alerts.js';
import { areaOf } from './case-row.js';
import { addFlags, clearFlags, emptyCaseState, evolve, replaceFlags, type CaseState } from './case-state.js';
import { domainTimeOf } from './domain-time.js';
import { checkTimeRules } from './time-check.js';

/** The settings the rules run with, per area: its thresholds and its labelling lexicon. */
export interface RuleSettings {
  thresholdsFor(area: string): Thresholds;
  languageFor(area: string): LabellingMatcher;
}

/** The rule settings of a configuration; without one, every area's are the defaults. */
export function ruleSettingsOf(config: ThresholdsConfig = { defaults: DEFAULT_THRESHOLDS, areas: {} }): RuleSettings {
  const rulesFor = areaRulesOf(config);
  return { thresholdsFor: (area) => rulesFor(area).thresholds, languageFor: (area) => rulesFor(area).matchLanguage };
}

/** A closure request's assessment, as stored and as published for case-closure to close or hold. */
export interface Assessment {
  closureRequestId: string;
  caseId: string;
  area: string;
  flags: ReturnType<typeof contractFlag>[];
  assessedAt: string;
  event: EventOf<'closure.assessed.v1'>;
}

/** What one event changes beyond its case's state: rows of the per-fact tables, alerts, the assessment. */
export interface StepEffects {
  alerts: AlertCandidate[];
  assessment?: Assessment;
  referral?: { referralId: string; caseId: string; area: string; childId: string; receivedAt: string; reReferral: boolean; sourceAgency: Agency; eventId: string; correlationId: string; recordedAt: string };
  onward?: {
    onwardReferralId: string;
    caseId: string;
    area: string;
    agency?: string;
    referredAt?: string;
    startedAt?: string;
    declinedAt?: string;
    withdrawnAt?: string;
    endedAt?: string;
    outcome?: string;
  };
  closure?: ClosureItem & { area: string; childId: string | null };
  /** The child whose cases the re-referral rule must look at again (a referral or a closure arrived). */
  child?: { area: string; childId: string };
}

/**
 * The events whose free texts the fold reads for labelling language (history.ts, labellingIn): the
 * types the rules read that carry a worker's text. A correction's text counts as the record's it
 * corrects (see correctedLanguageFlags).
 */
const TEXT_TYPES: ReadonlySet<string> = new Set(CASE_EVENT_TYPES.filter((t) => isUsedType(t) && personalFieldsOf(t).length > 0 && t !== 'record.amended.v1'));

/** Facts about the child a closure assessment weighs; closure events themselves are the saga's. */
const LATE_FACT_TYPES: ReadonlySet<CaseEvent['type']> = new Set<CaseEvent['type']>([
  'referral.received.v1',
  'onward-referral.made.v1',
  'onward-referral.started.v1',
  'intervention.logged.v1',
  'incident.recorded.v1',
  'risk.assessed.v1',
]);

/**
 * A fact dated at or before the latest closure request that arrives after the request was assessed:
 * each service publishes through its own outbox, so an incident recorded a moment before the
 * closure request can arrive after it. The assessment already published stands (the saga has moved
 * on), but a flag it missed is added to the case and alerted, so a supervisor sees what the closure
 * overlooked. Not once the request was rejected or the case reopened since.
 */
function lateFactFlags(state: CaseState, event: CaseEvent, at: Date, settings: RuleSettings): { state: CaseState; alerts: AlertCandidate[] } {
  const history = state.facts.history;
  const request = history.closureRequests.at(-1);
  const none = { state, alerts: [] };
  if (!request || at.getTime() > request.requestedAt.getTime()) return none;
  if (history.reopenings.some((r) => r.reopenedAt.getTime() >= request.requestedAt.getTime())) return none;
  if (state.rejectedRequests.includes(request.closureRequestId)) return none;
  const flags = evaluateClosure(history, request.closureRequestId, settings.thresholdsFor(event.area));
  if (flags.length === 0) return none;
  return {
    state: { ...state, flags: addFlags(state.flags, 'closure', flags, request.requestedAt) },
    alerts: alertCandidates({ caseId: state.caseId, area: event.area, flags, raisedAt: request.requestedAt, recordedAt: new Date(event.time), cause: causeOf(event) }),
  };
}

function assess(state: CaseState, request: EventOf<'closure.requested.v1'>, settings: RuleSettings): { state: CaseState; alerts: AlertCandidate[]; assessment: Assessment } {
  const { closureRequestId, caseId, requestedAt } = request.data;
  const flags = evaluateClosure(state.facts.history, closureRequestId, settings.thresholdsFor(request.area));
  const at = new Date(requestedAt);
  return {
    state: { ...state, flags: replaceFlags(state.flags, 'closure', flags, at) },
    alerts: alertCandidates({ caseId, area: request.area, flags, raisedAt: at, recordedAt: new Date(request.time), cause: causeOf(request) }),
    assessment: { closureRequestId, caseId, area: request.area, flags: flags.map(contractFlag), assessedAt: requestedAt, event: closureAssessedEvent(request, flags) },
  };
}

/**
 * A corrected text's LABELLING_LANGUAGE, worked out again: the record's flags that the correction
 * removed leave the case, those it brought are raised (from the correction's time), and a flag
 * that stays is reworded. The other records' flags are untouched.
 */
function correctedLanguageFlags(state: CaseState, before: CaseState | undefined, event: EventOf<'record.amended.v1'>): { state: CaseState; alerts: AlertCandidate[] } {
  const { recordId, amendedAt } = event.data;
  const was = new Set(before ? eventLanguageFlags(before.facts.history, recordId).map((f) => f.key) : []);
  const now = eventLanguageFlags(state.facts.history, recordId);
  const kept = new Set(now.map((f) => f.key));
  const at = new Date(amendedAt);
  const flags = addFlags(
    state.flags.filter((f) => !(f.source === 'language' && was.has(f.key) && !kept.has(f.key))),
    'language',
    now,
    at,
  );
  const raised = now.filter((f) => !was.has(f.key));
  return {
    state: { ...state, flags },
    alerts: alertCandidates({ caseId: state.caseId, area: event.area, flags: raised, raisedAt: at, recordedAt: new Date(event.time), cause: causeOf(event) }),
  };
}

const lastRequestIs = (history: CaseHistory, closureRequestId: string) => history.closureRequests.at(-1)?.closureRequestId === closureRequestId;

/**
 * One new event applied to its case, pure: the case's next state and everything else the event
 * causes. The read model is a function of the log: every time a rule is asked about comes from the
 * events (their domain times), never from the wall clock, so a rebuild ends where the live one is.
 * Order within an event: what its type decides, then late facts, then the time rules at its time.
 */
export function step(before: CaseState | undefined, event: CaseEvent, settings: RuleSettings): { state: CaseState; effects: StepEffects } {
  let state = evolve(before ?? emptyCaseState(event), event, settings.languageFor(event.area));
  const history = () => state.facts.history;
  const caseId = event.subject;
  const effects: StepEffects = { alerts: [] };

  switch (event.type) {
    case 'referral.received.v1': {
      const d = event.data;
      effects.referral = {
        referralId: d.referralId,
        caseId,
        area: d.area,
        childId: d.childId,
        receivedAt: d.receivedAt,
        reReferral: d.reReferral,
        sourceAgency: d.sourceAgency,
        eventId: event.id,
        correlationId: event.correlationid,
        recordedAt: event.time,
      };
      effects.child = { area: d.area, childId: d.childId };
      break;
    }
    case 'onward-referral.made.v1':
      effects.onward = { onwardReferralId: event.data.onwardReferralId, caseId, area: event.area, agency: event.data.agency, referredAt: event.data.referredAt };
      break;
    case 'onward-referral.started.v1':
      effects.onward = { onwardReferralId: event.data.onwardReferralId, caseId, area: event.area, startedAt: event.data.startedAt };
      break;
    case 'onward-referral.declined.v1':
      effects.onward = { onwardReferralId: event.data.onwardReferralId, caseId, area: event.area, declinedAt: event.data.declinedAt };
      break;
    case 'onward-referral.withdrawn.v1':
      effects.onward = { onwardReferralId: event.data.onwardReferralId, caseId, area: event.area, withdrawnAt: event.data.withdrawnAt };
      break;
    case 'onward-referral.ended.v1':
      effects.onward = { onwardReferralId: event.data.onwardReferralId, caseId, area: event.area, endedAt: event.data.endedAt, outcome: event.data.outcome };
      break;
    case 'closure.requested.v1': {
      const assessed = assess(state, event, settings);
      state = assessed.state;
      effects.alerts.push(...assessed.alerts);
      effects.assessment = assessed.assessment;
      break;
    }
    case 'closure.rejected.v1':
      // The supervisor kept the case open: the request's flags have been acted on.
      if (lastRequestIs(history(), event.data.closureRequestId)) state = { ...state, flags: clearFlags(state.flags, 'closure') };
      break;
    case 'case.reopened.v1':
      state = { ...state, flags: clearFlags(state.flags, 'closure') };
      break;
    case 'record.amended.v1': {
      const corrected = correctedLanguageFlags(state, before, event);
      state = corrected.state;
      effects.alerts.push(...corrected.alerts);
      break;
    }
    case 'case.closed.v1': {
      const closure = history().closures.find((c) => c.eventId === event.id);
      if (closure) {
        const childId = history().childId ?? null;
        effects.closure = { ...closure, area: areaOf(state), childId };
        if (childId) effects.child = { area: areaOf(state), childId };
      }
      break;
    }
    default:
      break;
  }

  const domainTime = domainTimeOf(event);
  // An event whose texts were checked as written carries what was found: when nothing was, there is
  // no flag to look for (the walk over the case's texts is skipped for most events).
  const found = (event.data as { labelling?: readonly unknown[] }).labelling;
  if (TEXT_TYPES.has(event.type) && (found === undefined || found.length > 0)) {
    // LABELLING_LANGUAGE on the texts this event recorded, as it arrives; the flag stays on the
    // case (the record outlives the case) and its alert names the field and phrases, never the text.
    const flags = eventLanguageFlags(history(), event.id);
    if (flags.length > 0) {
      const at = new Date(domainTime ?? event.time);
      state = { ...state, flags: addFlags(state.flags, 'language', flags, at) };
      effects.alerts.push(...alertCandidates({ caseId, area: event.area, flags, raisedAt: at, recordedAt: new Date(event.time), cause: causeOf(event) }));
    }
  }
  if (domainTime !== undefined) {
    const at = new Date(domainTime);
    if (LATE_FACT_TYPES.has(event.type)) {
      const late = lateFactFlags(state, event, at, settings);
      state = late.state;
      effects.alerts.push(...late.alerts);
    }
    const checked = checkTimeRules(state, at, new Date(event.time), causeOf(event), settings.thresholdsFor(areaOf(state)));
    state = checked.state;
    effects.alerts.push(...checked.alerts);
  }
  return { state, effects };
}
