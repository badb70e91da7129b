import { randomBytes } from 'node:crypto';
import { ensureTopics, keepForever } from '@syv/messaging';
import { testInfra } from './infra.js';

export interface TestTopics {
  caseEvents: string;
  caseAlerts: string;
}

/**
 * Topic names of this test file only, created up front like production creates its own. `on` names
 * other brokers (a file's own broker that it restarts); by default the test run's.
 */
export async function createTestTopics(prefix = 't', partitions = 3, on: { kafkaBrokers: string[] } = testInfra()): Promise<TestTopics> {
  const suffix = `${prefix}-${randomBytes(4).toString('hex')}`;
  const topics = { caseEvents: `case-events-${suffix}`, caseAlerts: `case-alerts-${suffix}` };
  await ensureTopics({ brokers: on.kafkaBrokers, clientId: 'test-harness' }, [
    { name: topics.caseEvents, partitions, config: keepForever },
    { name: topics.caseAlerts, partitions, config: keepForever },
  ]);
  return topics;
}
