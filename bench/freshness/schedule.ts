import { performance } from 'node:perf_hooks';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface ScheduleReport {
  sent: number;
  /** Sends that left more than `lateAfterMs` after their slot. */
  late: number;
  lateAfterMs: number;
  /** How far behind its slot each send left, ms. */
  lateness: number[];
}

/**
 * Calls `fire(i)` `count` times at `rate` per second. Slot i is at start + i / rate, computed from
 * the start and never from the previous send, so a slow send or a busy event loop does not push
 * the later ones back (no drift): a send that could not leave on time leaves as soon as it can and
 * is counted late. `fire` must not be awaited by the caller's logic: the schedule does not wait
 * for replies.
 */
export async function atFixedRate(rate: number, count: number, fire: (i: number) => void, lateAfterMs = 10): Promise<ScheduleReport> {
  const period = 1_000 / rate;
  const start = performance.now() + 20;
  const lateness: number[] = [];
  let late = 0;
  for (let i = 0; i < count; i++) {
    const due = start + i * period;
    const wait = due - performance.now();
    if (wait > 0) await sleep(Math.ceil(wait));
    const behind = performance.now() - due;
    lateness.push(behind);
    if (behind > lateAfterMs) late++;
    fire(i);
  }
  return { sent: count, late, lateAfterMs, lateness };
}
