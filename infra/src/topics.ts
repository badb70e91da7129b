import { TOPIC_NAMES } from '@syv/contracts';
import { keepForever, type TopicSpec } from '@syv/messaging';

/**
 * The system's two topics, by the contracts' names. Both keep every record forever: case-events is
 * the history auditors replay, and case-alerts must be rebuildable by replaying it.
 */
export const caseTopics: TopicSpec[] = TOPIC_NAMES.map((name) => ({
  name,
  partitions: 6,
  config: keepForever,
}));
