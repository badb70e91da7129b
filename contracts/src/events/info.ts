import { SOURCES, type Source } from '../envelope.js';
import type { EventType } from './catalog.js';

// What each event means and who emits it, in words for the generated JSON Schema and AsyncAPI
// documents: a reader of those files should not need to open the code.

export interface EventInfo {
  title: string;
  /** The service that publishes it; several when each publishes its own (a correction, by the owner of the record). */
  emittedBy: Source | readonly Source[];
  description: string;
}

export const EVENT_INFO: { [T in EventType]: EventInfo } = {
  'referral.received.v1': {
    title: 'Referral received',
    emittedBy: SOURCES.referral,
    description:
      "A child was referred. The referral joins the child's open case in that area, or opens one (then case.opened.v1 comes just before it, in the same transaction).",
  },
  'case.opened.v1': {
    title: 'Case opened',
    emittedBy: SOURCES.referral,
    description: 'A case was opened for a child in an area by a referral.',
  },
  'case.allocated.v1': {
    title: 'Case allocated',
    emittedBy: SOURCES.referral,
    description:
      'The case was allocated to a worker: at referral, by a worker taking an unallocated case, or by a supervisor (a handover). The worker sees the case in their caseload and receives its alerts.',
  },
  'onward-referral.made.v1': {
    title: 'Onward referral made',
    emittedBy: SOURCES.referral,
    description: 'The child was referred on to another agency (e.g. CAMHS); the wait starts here.',
  },
  'onward-referral.started.v1': {
    title: 'Onward referral started',
    emittedBy: SOURCES.referral,
    description: 'The receiving agency started working with the child; the wait ends here.',
  },
  'onward-referral.declined.v1': {
    title: 'Onward referral declined',
    emittedBy: SOURCES.referral,
    description:
      'The receiving agency refused the referral: the child is no longer waiting for it and still needs that help. The reason is free text, never put in logs or alerts. A referral declined takes no other outcome.',
  },
  'onward-referral.withdrawn.v1': {
    title: 'Onward referral withdrawn',
    emittedBy: SOURCES.referral,
    description: 'The referrer withdrew the referral before the agency started; the child is no longer waiting for it. A referral withdrawn takes no other outcome.',
  },
  'onward-referral.ended.v1': {
    title: 'Onward referral ended',
    emittedBy: SOURCES.referral,
    description: "The receiving agency's support ended (completed, disengaged, moved or other); only a started referral ends. The length of support runs from the start to the end.",
  },
  'intervention.logged.v1': {
    title: 'Intervention logged',
    emittedBy: SOURCES.intervention,
    description: 'An agency did a piece of work with the child or family. Only work with the child counts as contact.',
  },
  'incident.recorded.v1': {
    title: 'Incident recorded',
    emittedBy: SOURCES.intervention,
    description: 'Something happened to or by the child (violence, weapon, exploitation, missing, arrest, threat).',
  },
  'risk.assessed.v1': {
    title: 'Risk assessed',
    emittedBy: SOURCES.intervention,
    description: 'A risk assessment: the level and whether harm from outside the home is present.',
  },
  'closure.requested.v1': {
    title: 'Closure requested',
    emittedBy: SOURCES.caseClosure,
    description: 'A worker asked to close the case. The projection assesses it against the closure rules.',
  },
  'closure.assessed.v1': {
    title: 'Closure assessed',
    emittedBy: SOURCES.projection,
    description: 'The projection checked a closure request against the closure rules; no flags means the case closes at once.',
  },
  'closure.held.v1': {
    title: 'Closure held for review',
    emittedBy: SOURCES.caseClosure,
    description: 'A flagged closure waits for a supervisor to approve (with a rationale) or reject it.',
  },
  'case.closed.v1': {
    title: 'Case closed',
    emittedBy: SOURCES.caseClosure,
    description: 'The case was closed, either at once (no flags) or by a supervisor approving a held closure.',
  },
  'closure.rejected.v1': {
    title: 'Closure rejected',
    emittedBy: SOURCES.caseClosure,
    description: 'A supervisor rejected a held closure; the case stays open.',
  },
  'case.reopened.v1': {
    title: 'Case reopened',
    emittedBy: SOURCES.caseClosure,
    description: 'A closed case was reopened because the child needs support again.',
  },
  'record.amended.v1': {
    title: 'Record amended',
    emittedBy: [SOURCES.referral, SOURCES.intervention, SOURCES.caseClosure],
    description:
      "The author of a record or a supervisor corrected one of its free texts (a wrong fact, blaming words); published by the service that owns the record. The new text and why, sealed under the same child's key. The record itself is unchanged; readers show the corrected text, marked as corrected, and labelling flags are worked out again from it. The auditor's history holds both versions.",
  },
  'child.erased.v1': {
    title: 'Child erased',
    emittedBy: SOURCES.referral,
    description:
      "A data protection officer erased the child's personal texts in the area: the child's data keys were deleted, so every text sealed under them reads as erased from then on, wherever it was copied. One per case of the child in the area. Flags, dates, agencies and the case's shape remain; the rules ignore this event.",
  },
  'alert.raised.v1': {
    title: 'Alert raised',
    emittedBy: SOURCES.projection,
    description: 'A rule started to fire on a case. Raised once per flag, not on every sweep; a replay raises the same alert again.',
  },
  'alert.acknowledged.v1': {
    title: 'Alert acknowledged',
    emittedBy: SOURCES.projection,
    description: 'A supervisor acknowledged an alert.',
  },
};

/** The services that publish an event type. */
export function sourcesOf(type: EventType): readonly Source[] {
  const by = EVENT_INFO[type].emittedBy;
  return typeof by === 'string' ? [by] : by;
}
