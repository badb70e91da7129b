import { randomUUID } from 'node:crypto';

// A sustained mix of the writes the services take, from several loops at once. Only an answer in
// the 2xx range counts as acknowledged: refusals, resets and timeouts while something is down are
// the client's to retry and promise nothing.

export type WriteKind = 'referral' | 'intervention' | 'closure';

export interface Acknowledged {
  kind: WriteKind;
  /** referralId, interventionId or closureRequestId. */
  id: string;
  caseId: string;
  /** An intervention whose notes hold a labelling phrase: the projection must raise one alert for it. */
  labelled: boolean;
}

export interface LoadStats {
  acknowledged: Acknowledged[];
  sent: number;
  refused: Record<string, number>;
}

export interface LoadOptions {
  urls: { referral: string; intervention: string; caseClosure: string };
  token: string;
  area: string;
  concurrency: number;
  maxRequests: number;
  /** Resolves when the load should stop. */
  until: Promise<unknown>;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(Math.random() * xs.length)];

const newLoadStats = (): LoadStats => ({ acknowledged: [], sent: 0, refused: {} });

/** Runs until opts.until or maxRequests; fills `stats` as it goes so the caller can show progress. */
async function runLoad(opts: LoadOptions, stats: LoadStats): Promise<void> {
  let stopped = false;
  void opts.until.then(() => {
    stopped = true;
  });
  const openCases: string[] = [];
  const withIntervention = new Set<string>();
  const refuse = (why: string) => {
    stats.refused[why] = (stats.refused[why] ?? 0) + 1;
  };

  async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
    stats.sent++;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      return { status: res.status, body: res.ok ? (JSON.parse(text) as Record<string, unknown>) : {} };
    } catch (err) {
      refuse((err as Error).name === 'TimeoutError' ? 'timeout' : 'connection');
      await new Promise((r) => setTimeout(r, 50));
      return undefined;
    }
  }

  async function referral(): Promise<void> {
    const res = await post(`${opts.urls.referral}/v1/referrals`, {
      childId: `fault-${randomUUID().slice(0, 12)}`,
      area: opts.area,
      sourceAgency: 'police',
      concerns: ['criminal_exploitation'],
      riskLevel: 'medium',
      receivedAt: hoursAgo(240),
    });
    if (!res) return;
    if (res.status !== 201) return refuse(`referral ${res.status}`);
    const caseId = String(res.body.caseId);
    stats.acknowledged.push({ kind: 'referral', id: String(res.body.referralId), caseId, labelled: false });
    openCases.push(caseId);
  }

  async function intervention(caseId: string): Promise<void> {
    const labelled = Math.random() < 0.3;
    const res = await post(`${opts.urls.intervention}/v1/cases/${caseId}/interventions`, {
      agency: Math.random() < 0.5 ? 'social_care' : 'youth_justice',
      kind: 'direct_work',
      deliveredAt: hoursAgo(2),
      withChild: true,
      withFamily: false,
      durationMinutes: 45,
      notes: labelled ? 'He is hard to engage; met at the youth centre.' : 'Met at the youth centre; talked about getting home safely.',
    });
    if (!res) return;
    if (res.status !== 201) return refuse(`intervention ${res.status}`);
    stats.acknowledged.push({ kind: 'intervention', id: String(res.body.interventionId), caseId, labelled });
    withIntervention.add(caseId);
  }

  async function closure(caseId: string): Promise<void> {
    // Taken out of the open set first: one closure request per case, and no writes after it.
    openCases.splice(openCases.indexOf(caseId), 1);
    const res = await post(`${opts.urls.caseClosure}/v1/cases/${caseId}/closure-requests`, {
      reason: 'support_completed',
      summary: 'Plan completed; college place started.',
    });
    if (!res) return;
    if (res.status !== 202) return refuse(`closure ${res.status}`);
    stats.acknowledged.push({ kind: 'closure', id: String(res.body.closureRequestId), caseId, labelled: false });
  }

  async function loop(): Promise<void> {
    while (!stopped && stats.sent < opts.maxRequests) {
      const roll = Math.random();
      const target = pick(openCases);
      if (!target || openCases.length < 20 || roll < 0.25) await referral();
      else if (roll < 0.9 || !withIntervention.has(target)) await intervention(target);
      else await closure(target);
    }
  }

  await Promise.all(Array.from({ length: opts.concurrency }, loop));
}

export interface Fault {
  name: string;
  /** Resolves once what it broke is back (a service ready, a server answering). */
  run(): Promise<unknown>;
}

export interface FaultDone {
  fault: string;
  ms: number;
  /** Writes acknowledged when the fault began and when it was over. */
  acknowledgedBefore: number;
  acknowledgedAfter: number;
}

/**
 * The load, with the faults one after another: `gapMs` of load before the first, between each two
 * and after the last, then the load stops (or sooner, at maxRequests). After a fault the next one
 * also waits (up to `recoverMs`) for a write acknowledged since it was over, so that each fault
 * meets a system that is taking writes again rather than one still recovering from the last. A
 * fault that throws (what it broke did not come back) rejects, after the load has stopped.
 */
export async function loadUnderFaults(opts: {
  load: Omit<LoadOptions, 'until'>;
  faults: Fault[];
  gapMs: number;
  recoverMs?: number;
  log: (msg: string) => void;
}): Promise<{ stats: LoadStats; faults: FaultDone[] }> {
  const { log, gapMs, recoverMs = 30_000 } = opts;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const stats = newLoadStats();
  const done: FaultDone[] = [];
  const faultsDone = (async () => {
    await sleep(gapMs);
    for (const fault of opts.faults) {
      const acknowledgedBefore = stats.acknowledged.length;
      log(`fault: ${fault.name} (${acknowledgedBefore} writes acknowledged so far)`);
      const t0 = Date.now();
      await fault.run();
      const acknowledgedAfter = stats.acknowledged.length;
      done.push({ fault: fault.name, ms: Date.now() - t0, acknowledgedBefore, acknowledgedAfter });
      log(`fault: ${fault.name} — back after ${Date.now() - t0} ms`);
      await sleep(gapMs);
      const deadline = Date.now() + recoverMs;
      while (stats.acknowledged.length === acknowledgedAfter && stats.sent < opts.load.maxRequests && Date.now() < deadline) await sleep(250);
      if (stats.acknowledged.length === acknowledgedAfter) log(`fault: ${fault.name} — no write acknowledged since`);
    }
  })();
  const progress = setInterval(() => log(`load: ${stats.sent} sent, ${stats.acknowledged.length} acknowledged, not acknowledged ${JSON.stringify(stats.refused)}`), 5_000);
  try {
    await runLoad({ ...opts.load, until: faultsDone.catch(() => undefined) }, stats);
  } finally {
    clearInterval(progress);
  }
  await faultsDone;
  return { stats, faults: done };
}
