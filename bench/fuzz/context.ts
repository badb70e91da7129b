import { mintDevToken, type Role } from '@syv/service-kit';
import type { Fixtures } from '../lib/fixtures.js';
import type { FuzzContext } from './generate.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function call(url: string, token: string, method = 'GET'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

async function poll<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await attempt();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`fuzz context: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The projection's records to aim at: the case once the projection knows it, an alert of the area
 * (raised by its assessment of the closure request), and a replay that can no longer be promoted:
 * cancelled at once, or, when it finished first (a small log replays in well under a second),
 * promoted here. So no fuzzed request can swap the read model (promoting it again is a 409); and
 * none starts a replay, since every variant the fuzzer sends to POST /v1/audit/replays is refused.
 */
async function projectionIds(url: string, tokens: { supervisor: string; auditor: string; otherSupervisor: string }, caseId: string, heldCaseId: string): Promise<{ alertId: string; replayId: string }> {
  await poll(`the projection to know case ${caseId}`, 30_000, async () => ((await call(`${url}/v1/cases/${caseId}`, tokens.supervisor)).status === 200 ? true : undefined));
  // The held case's saga all on the topic (the projection reads back what it published): both
  // assessments (the fixture's and the projection's own) and the hold. Nothing of the fixtures is
  // then still on its way to the topic when the fuzzer takes its "before".
  await poll(`the closure saga of case ${heldCaseId} on the topic`, 30_000, async () => {
    const items = (await call(`${url}/v1/audit/events?caseId=${heldCaseId}&limit=100`, tokens.auditor)).body.items as { event: { type: string } }[] | undefined;
    const types = (items ?? []).map((i) => i.event.type);
    return types.filter((t) => t === 'closure.assessed.v1').length >= 2 && types.includes('closure.held.v1') ? true : undefined;
  });
  const alertId = await poll('an alert in the fuzzed area', 30_000, async () => {
    const items = (await call(`${url}/v1/alerts?limit=1`, tokens.supervisor)).body.items as { alertId: string }[] | undefined;
    return items?.[0]?.alertId;
  });
  // Taken on by another supervisor first: a fuzzed acknowledgement that is valid after all (a
  // missing optional note is) is then told who has it (409), and records nothing.
  const taken = await call(`${url}/v1/alerts/${alertId}/acknowledge`, tokens.otherSupervisor, 'POST');
  if (taken.status !== 200) throw new Error(`fuzz context: acknowledging alert ${alertId} answered ${taken.status}: ${JSON.stringify(taken.body)}`);
  const started = await call(`${url}/v1/audit/replays`, tokens.auditor, 'POST');
  if (started.status !== 202) throw new Error(`fuzz context: starting a replay answered ${started.status}: ${JSON.stringify(started.body)}`);
  const replayId = started.body.replayId as string;
  await call(`${url}/v1/audit/replays/${replayId}/cancel`, tokens.auditor, 'POST');
  const ended = await poll(`replay ${replayId} to end`, 60_000, async () => {
    const status = (await call(`${url}/v1/audit/replays/${replayId}`, tokens.auditor)).body.status as string;
    return status === 'running' || status === 'cancelling' ? undefined : status;
  });
  if (ended === 'finished') {
    const res = await fetch(`${url}/v1/audit/replays/${replayId}/promote`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.auditor}`, 'content-type': 'application/json' },
      body: JSON.stringify({ acceptDifferences: true }),
    });
    if (res.status !== 200) throw new Error(`fuzz context: promoting replay ${replayId} answered ${res.status}: ${await res.text()}`);
  }
  return { alertId, replayId };
}

/**
 * Real records in `area` for the fuzzer to aim at (an open case, an onward referral, a closure
 * request held for review; with `projection`, also an alert and a cancelled replay), and every
 * kind of token it sends: the actor's, and ones that must not get in (auditor, another area,
 * expired, signed with another secret, bad claims, `alg: none`).
 */
export async function buildFuzzContext(opts: { secret: string; area: string; otherArea: string; fixtures: Fixtures; projection?: string }): Promise<FuzzContext> {
  const { secret, area, fixtures } = opts;
  const mint = (role: Role, areas: string[], extra: { ttl?: string | number; secret?: string } = {}) =>
    mintDevToken({ sub: `fuzz-${role}`, role, areas, secret: extra.secret ?? secret, ttl: extra.ttl ?? '2h' });
  const worker = await mint('social_worker', [area]);
  const caseId = await fixtures.openCase(worker, area);
  const onwardReferralId = await fixtures.onwardReferral(worker, caseId);
  const closedLater = await fixtures.openCase(worker, area);
  const closureRequestId = await fixtures.requestClosure(worker, closedLater);
  await fixtures.assess(closedLater, area, closureRequestId, true);
  await fixtures.waitForStatus(worker, closureRequestId, 'held_for_review');
  const now = Math.floor(Date.now() / 1000);
  const supervisor = await mint('supervisor', [area]);
  const auditor = await mint('auditor', [area]);
  const otherSupervisor = await mintDevToken({ sub: 'fuzz-other-supervisor', role: 'supervisor', areas: [area], secret, ttl: '2h' });
  const projection = opts.projection ? await projectionIds(opts.projection, { supervisor, auditor, otherSupervisor }, caseId, closedLater) : {};
  return {
    area,
    tokens: {
      actor: supervisor,
      auditor,
      otherArea: await mint('supervisor', [opts.otherArea]),
      expired: await mint('supervisor', [area], { ttl: -600 }),
      foreignSignature: await mint('supervisor', [area], { secret: 'not-the-services-secret-0123456789abcdef' }),
      // Signed with the right secret, but the claims are not ones the services accept.
      badClaims: await mint('admin' as Role, [area]),
      algNone: `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'fuzz', role: 'supervisor', areas: [area], exp: now + 3_600 })}.`,
    },
    ids: { caseId, onwardReferralId, closureRequestId, ...projection },
  };
}
