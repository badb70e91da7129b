import { describe, expect, it } from 'vitest';
import { compareCheckpoints, startOfLog } from './checkpoint-order.js';

const cp = (transactionId: string, position: string) => ({ transactionId, position });

describe('compareCheckpoints', () => {
  it('orders by transaction id first, then position', () => {
    expect(compareCheckpoints(cp('10', '99'), cp('11', '1'))).toBe(-1);
    expect(compareCheckpoints(cp('11', '1'), cp('10', '99'))).toBe(1);
    expect(compareCheckpoints(cp('10', '5'), cp('10', '6'))).toBe(-1);
    expect(compareCheckpoints(cp('10', '6'), cp('10', '6'))).toBe(0);
  });

  it('compares as integers beyond 2^53, not as strings', () => {
    expect(compareCheckpoints(cp('9', '1'), cp('10', '1'))).toBe(-1);
    expect(compareCheckpoints(cp('9007199254740993', '1'), cp('9007199254740992', '1'))).toBe(1);
  });

  it('puts the start of the log before everything', () => {
    expect(compareCheckpoints(startOfLog, cp('3', '1'))).toBe(-1);
  });
});
