import { describe, expect, it } from 'vitest';
import { replicationFor } from './admin.js';

describe('replicationFor', () => {
  it("below three brokers: one copy per broker, and Kafka's default of one in sync", () => {
    expect(replicationFor(1)).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
    expect(replicationFor(2)).toEqual({ replicationFactor: 2, minInsyncReplicas: 1 });
  });

  it('from three brokers: three copies, two of them in sync for an acks=all write, however many brokers there are', () => {
    expect(replicationFor(3)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(replicationFor(5)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(replicationFor(12)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
  });

  it('a cluster that reports no broker still gets one copy (creating the topic then fails with the broker error)', () => {
    expect(replicationFor(0)).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
  });
});
