import { randomUUID } from 'node:crypto';
import { encodeMessage, makeEvent, SOURCES } from '@syv/contracts';
import { createPublisher } from '@syv/messaging';

// Real records to aim requests at: a matrix or a fuzzer that only ever sends random ids tests the
// "not found" path and nothing behind it.

export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

async function post<T>(url: string, token: string, body: unknown, expected: number): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`fixture POST ${url} answered ${res.status}, expected ${expected}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function get(url: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface FixtureUrls {
  referral: string;
  caseClosure?: string;
  intervention?: string;
}

export interface Fixtures {
  /** Opens a new case (a referral of a new child) in the area the token works in, allocated to `allocatedTo` when given. */
  openCase(token: string, area: string, allocatedTo?: string): Promise<string>;
  onwardReferral(token: string, caseId: string): Promise<string>;
  /** A closure request, pending assessment. Waits for the case-closure service to know the case. */
  requestClosure(token: string, caseId: string): Promise<string>;
  /** Plays the projection's part of the saga: assesses the request with or without flags. */
  assess(caseId: string, area: string, closureRequestId: string, flagged: boolean): Promise<void>;
  /** Waits until GET /v1/closure-requests/{id} says `status`. */
  waitForStatus(token: string, closureRequestId: string, status: string): Promise<void>;
  close(): Promise<void>;
}

export async function createFixtures(urls: FixtureUrls, kafka: { brokers: string[]; topic: string }): Promise<Fixtures> {
  const publisher = await createPublisher({ brokers: kafka.brokers, clientId: 'bench-fixtures' });
  return {
    async openCase(token, area, allocatedTo) {
      const res = await post<{ caseId: string }>(`${urls.referral}/v1/referrals`, token, {
        childId: `child-${randomUUID().slice(0, 8)}`,
        area,
        sourceAgency: 'school',
        concerns: ['criminal_exploitation'],
        riskLevel: 'medium',
        receivedAt: daysAgo(30),
        ...(allocatedTo === undefined ? {} : { allocatedTo }),
      }, 201);
      return res.caseId;
    },
    async onwardReferral(token, caseId) {
      const res = await post<{ onwardReferralId: string }>(`${urls.referral}/v1/cases/${caseId}/onward-referrals`, token, {
        agency: 'camhs',
        reason: 'Low mood since the assault.',
        referredAt: daysAgo(20),
      }, 201);
      return res.onwardReferralId;
    },
    async requestClosure(token, caseId) {
      if (!urls.caseClosure) throw new Error('no case-closure service in this run');
      // The case-closure service learns of a new case through Kafka; its own 3 s wait covers that
      // once its consumer runs, but not while it is still joining its group just after the start:
      // a 404 (or 503 NOT_READY) records nothing, so ask again for a while.
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          const res = await post<{ closureRequestId: string }>(`${urls.caseClosure}/v1/cases/${caseId}/closure-requests`, token, {
            reason: 'support_completed',
            summary: 'Plan completed; college place started.',
          }, 202);
          return res.closureRequestId;
        } catch (err) {
          if (Date.now() > deadline || !/answered (404|503)/.test(String(err))) throw err;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    },
    async assess(caseId, area, closureRequestId, flagged) {
      const cause = randomUUID();
      const flags = flagged
        ? [{ rule: 'CLOSURE_PENDING_ONWARD_REFERRAL', severity: 'high', explanation: 'The CAMHS referral has not started.', evidence: [closureRequestId] }]
        : [];
      const event = makeEvent(
        'closure.assessed.v1',
        { closureRequestId, caseId, flags: flags as never, assessedAt: new Date().toISOString() },
        { source: SOURCES.projection, area, correlationid: cause, causationid: cause, actor: { sub: 'projection', role: 'system' } },
      );
      await publisher.publish(kafka.topic, [encodeMessage(event)]);
    },
    async waitForStatus(token, closureRequestId, status) {
      if (!urls.caseClosure) throw new Error('no case-closure service in this run');
      const deadline = Date.now() + 20_000;
      let last = '';
      while (Date.now() < deadline) {
        const res = await get(`${urls.caseClosure}/v1/closure-requests/${closureRequestId}`, token);
        last = `${res.status} ${String(res.body.status)}`;
        if (res.status === 200 && res.body.status === status) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`closure request ${closureRequestId} did not reach ${status} (last: ${last})`);
    },
    close: () => publisher.close(),
  };
}
