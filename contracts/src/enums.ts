import { z } from 'zod';

// The vocabularies of the events and the rules. Each is a const tuple (the values, for UIs and tests), a zod
// schema (so events and HTTP bodies reject anything else) and a type. Extend a list when a user needs
// a new value: adding is backwards compatible for consumers that treat unknown values as "other";
// removing or renaming one is a new event version.

/** Who referred the child, and which agency does a piece of work or receives an onward referral. */
export const AGENCIES = [
  'police',
  'school',
  'health',
  'camhs',
  'housing',
  'social_care',
  'youth_justice',
  'youth_service',
  'vcs',
  'family',
  'self',
] as const;
export const agencySchema = z.enum(AGENCIES);
export type Agency = z.infer<typeof agencySchema>;

export const CONCERNS = [
  'serious_youth_violence_victim',
  'serious_youth_violence_harming',
  'criminal_exploitation',
  'sexual_exploitation',
  'extra_familial_harm',
  'online_harm',
  'weapon_carrying',
  'mental_health',
  'missing_episodes',
  'school_exclusion',
] as const;
export const concernSchema = z.enum(CONCERNS);
export type Concern = z.infer<typeof concernSchema>;

export const INTERVENTION_KINDS = [
  'direct_work',
  'mentoring',
  'youth_work',
  'therapeutic',
  'family_support',
  'education_support',
  'housing_support',
  'safety_planning',
  'health',
  'police_safeguarding',
  'other',
] as const;
export const interventionKindSchema = z.enum(INTERVENTION_KINDS);
export type InterventionKind = z.infer<typeof interventionKindSchema>;

export const INCIDENT_KINDS = ['violence_victim', 'violence_harm', 'weapon', 'exploitation', 'missing', 'arrest', 'threat'] as const;
export const incidentKindSchema = z.enum(INCIDENT_KINDS);
export type IncidentKind = z.infer<typeof incidentKindSchema>;

/** How another agency's support ended (onward-referral.ended.v1): done, the child stopped coming, the family moved away, or something else. */
export const SUPPORT_OUTCOMES = ['completed', 'disengaged', 'moved', 'other'] as const;
export const supportOutcomeSchema = z.enum(SUPPORT_OUTCOMES);
export type SupportOutcome = z.infer<typeof supportOutcomeSchema>;

/** Where an onward referral stands: waiting for the agency to start, started, refused by it, withdrawn by the referrer, or its support ended. */
export const ONWARD_REFERRAL_STATUSES = ['waiting', 'started', 'declined', 'withdrawn', 'ended'] as const;
export const onwardReferralStatusSchema = z.enum(ONWARD_REFERRAL_STATUSES);
export type OnwardReferralStatus = z.infer<typeof onwardReferralStatusSchema>;

/**
 * The kinds of harm outside the home a risk assessment names (extra-familial harm): criminal or
 * sexual exploitation, violence in the community, harm online, harm through the child's peer
 * group, and harm tied to a place (an estate, a park, a transport hub).
 */
export const HARM_OUTSIDE_HOME_KINDS = ['exploitation', 'community_violence', 'online', 'peer_group', 'location'] as const;
export const harmOutsideHomeKindSchema = z.enum(HARM_OUTSIDE_HOME_KINDS);
export type HarmOutsideHomeKind = z.infer<typeof harmOutsideHomeKindSchema>;

export const CLOSURE_REASONS = ['support_completed', 'no_further_action', 'moved_area', 'aged_out', 'family_declined', 'transferred'] as const;
export const closureReasonSchema = z.enum(CLOSURE_REASONS);
export type ClosureReason = z.infer<typeof closureReasonSchema>;

/** One scale for a child's assessed risk, an incident's severity and a flag's severity. */
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export const riskLevelSchema = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof riskLevelSchema>;
export type Severity = RiskLevel;

/**
 * The `role` claim of a user's token. A data protection officer erases a child's personal texts
 * and sees no case data.
 */
export const ROLES = ['social_worker', 'supervisor', 'auditor', 'data_protection_officer'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/**
 * Who an event's `actor` can be: a user in one of their roles, or a service acting on its own
 * initiative (the projection assessing a closure, a sweep raising an alert at night), because
 * nobody clicked anything for those and pretending otherwise would mislead an auditor.
 */
export const ACTOR_ROLES = [...ROLES, 'system'] as const;
export const actorRoleSchema = z.enum(ACTOR_ROLES);
export type ActorRole = z.infer<typeof actorRoleSchema>;

/** The rules checked when a closure is requested. */
export const CLOSURE_RULE_IDS = [
  'CLOSURE_HIGH_RISK',
  'CLOSURE_PENDING_ONWARD_REFERRAL',
  'CLOSURE_RECENT_INCIDENT',
  'CLOSURE_SHORT_SUPPORT',
  'CLOSURE_NO_RECENT_CONTACT',
  'CLOSURE_SINGLE_AGENCY',
] as const;
export type ClosureRuleId = (typeof CLOSURE_RULE_IDS)[number];

/**
 * Why a child's personal texts were erased (child.erased.v1): the retention period of the records
 * ended, the child (or someone for them) exercised the right to erasure, a court ordered it, or
 * another basis the reason names.
 */
export const ERASURE_LEGAL_BASES = ['retention_period_ended', 'right_to_erasure', 'court_order', 'other'] as const;
export const erasureLegalBasisSchema = z.enum(ERASURE_LEGAL_BASES);
export type ErasureLegalBasis = z.infer<typeof erasureLegalBasisSchema>;

/** The projection's rules; the id is what flags, alerts and thresholds refer to. */
export const RULE_IDS = [
  ...CLOSURE_RULE_IDS,
  'REREFERRAL_AFTER_CLOSURE',
  'SLOW_START',
  'CONTACT_GAP',
  'LONG_WAIT',
  'LABELLING_LANGUAGE',
  'ONWARD_REFERRAL_DECLINED',
  'SUPPORT_ENDED_EARLY',
] as const;
export const ruleIdSchema = z.enum(RULE_IDS);
export type RuleId = z.infer<typeof ruleIdSchema>;

/** Where a closure request stands, as `GET /v1/closure-requests/{id}` reports it. */
export const CLOSURE_REQUEST_STATUSES = ['pending_assessment', 'held_for_review', 'closed', 'rejected'] as const;
export const closureRequestStatusSchema = z.enum(CLOSURE_REQUEST_STATUSES);
export type ClosureRequestStatus = z.infer<typeof closureRequestStatusSchema>;
