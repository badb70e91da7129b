import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  const top = () => 1;
  const bottom = () => 0;

  it('doubles with each consecutive failure', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, { baseMs: 100, maxMs: 10_000 }, top))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the cap, however many failures', () => {
    expect(backoffDelay(10, { baseMs: 100, maxMs: 5_000 }, top)).toBe(5_000);
    expect(backoffDelay(10_000, { baseMs: 100, maxMs: 5_000 }, top)).toBe(5_000);
  });

  it('keeps at least half the delay when jittered', () => {
    expect(backoffDelay(3, { baseMs: 100, maxMs: 10_000 }, bottom)).toBe(200);
  });

  it('treats 0 failures like the first', () => {
    expect(backoffDelay(0, { baseMs: 100 }, top)).toBe(100);
  });
});
