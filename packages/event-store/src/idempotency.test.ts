import { describe, expect, it } from 'vitest';
import { matchIdempotent, type IdempotencyRecord } from './idempotency.js';

const record: IdempotencyRecord = {
  scope: 'POST /referrals:user-1',
  key: 'k1',
  requestHash: 'h1',
  status: 201,
  response: { caseId: 'c1' },
  createdAt: new Date(0),
};

describe('matchIdempotent', () => {
  it('given the same body, replays the recorded answer', () => {
    expect(matchIdempotent(record, 'h1')).toEqual({ kind: 'replay', status: 201, response: { caseId: 'c1' } });
  });

  it('given another body under the same key, is a mismatch (422)', () => {
    expect(matchIdempotent(record, 'h2')).toEqual({ kind: 'mismatch' });
  });
});
