import { keepForever, type TopicSpec } from '@syv/messaging';

// The system's two topics. Their names belong in @syv/contracts; they are repeated here only until
// infra is wired to it, and this is the one constant to replace when that happens.
export const CASE_TOPIC_NAMES = ['case-events', 'case-alerts'] as const;

/**
 * Both topics keep every record forever: case-events is the history auditors replay, and
 * case-alerts must be rebuildable by replaying it.
 */
export const caseTopics: TopicSpec[] = CASE_TOPIC_NAMES.map((name) => ({
  name,
  partitions: 6,
  config: keepForever,
}));
