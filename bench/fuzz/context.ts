import { mintDevToken, type Role } from '@syv/service-kit';
import type { Fixtures } from '../lib/fixtures.js';
import type { FuzzContext } from './generate.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Real records in `area` for the fuzzer to aim at (an open case, an onward referral, a closure
 * request held for review), and every kind of token it sends: the actor's, and ones that must not
 * get in (auditor, another area, expired, signed with another secret, bad claims, `alg: none`).
 */
export async function buildFuzzContext(opts: { secret: string; area: string; otherArea: string; fixtures: Fixtures }): Promise<FuzzContext> {
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
  return {
    area,
    tokens: {
      actor: await mint('supervisor', [area]),
      auditor: await mint('auditor', [area]),
      otherArea: await mint('supervisor', [opts.otherArea]),
      expired: await mint('supervisor', [area], { ttl: -600 }),
      foreignSignature: await mint('supervisor', [area], { secret: 'not-the-services-secret-0123456789abcdef' }),
      // Signed with the right secret, but the claims are not ones the services accept.
      badClaims: await mint('admin' as Role, [area]),
      algNone: `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'fuzz', role: 'supervisor', areas: [area], exp: now + 3_600 })}.`,
    },
    ids: { caseId, onwardReferralId, closureRequestId },
  };
}
