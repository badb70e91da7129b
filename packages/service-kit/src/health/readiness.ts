/**
 * One dependency the service needs before it can do useful work. `check` resolves (or returns
 * `{ ok: true }`) when the dependency is fine, and throws or returns `{ ok: false, detail }` when it
 * is not. `detail` is shown on the public readiness endpoint: keep it free of hosts and secrets.
 */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void | { ok: boolean; detail?: string }>;
  /** Per-check timeout; the app's default (2 s) when omitted. */
  timeoutMs?: number;
}

export type CheckOutcome =
  | { name: string; ok: true }
  | { name: string; ok: false; detail: string; error?: unknown };

const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

/** Runs every check at once, each bounded by its timeout, so one hung dependency cannot hang the probe. */
export async function runReadinessChecks(checks: readonly ReadinessCheck[], defaultTimeoutMs = DEFAULT_CHECK_TIMEOUT_MS): Promise<CheckOutcome[]> {
  return Promise.all(checks.map((c) => runOne(c, c.timeoutMs ?? defaultTimeoutMs)));
}

async function runOne(check: ReadinessCheck, timeoutMs: number): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const result = await Promise.race([check.check(), timeout]);
    if (result === 'timeout') return { name: check.name, ok: false, detail: `timed out after ${timeoutMs} ms` };
    if (result && !result.ok) return { name: check.name, ok: false, detail: result.detail ?? 'not ok' };
    return { name: check.name, ok: true };
  } catch (error) {
    // The error's message often names hosts and ports; it goes to the log, not the public answer.
    return { name: check.name, ok: false, detail: 'failed (see the service log)', error };
  } finally {
    clearTimeout(timer);
  }
}
