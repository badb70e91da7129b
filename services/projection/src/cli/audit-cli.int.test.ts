import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltProjection } from '../service.js';
import { casePublisher } from '../testing/case-publisher.js';
import { caseStory, type CaseStory } from '../testing/case-story.js';
import { projectionHarness, waitForApplied, type ProjectionHarness } from '../testing/harness.js';
import { runAuditCli } from './audit-cli.js';

// The auditor CLI against a running projection over HTTP: the commands that only read
// (history, as-of, events, access-log), their exit codes, and what they refuse.

const AREA = 'E09000001';
let h: ProjectionHarness;
let p: BuiltProjection;
let url: string;
let auditor: string;
let story: CaseStory;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runAuditCli(argv, {
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
    env: { SYV_TOKEN: auditor, SYV_PROJECTION_URL: url },
  });
  return { code, out, err };
}

beforeAll(async () => {
  h = await projectionHarness('proj_cli');
  p = await h.start();
  await p.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}`;
  auditor = await h.token('auditor', [AREA], 'aud-cli');
  story = caseStory(new Date('2025-01-06T09:00:00Z'), { area: AREA });
  story.referral(0, { riskLevel: 'high' });
  story.intervention(2, { agency: 'youth_service' });
  const request = story.requestClosure(10);
  story.close(10, request.data.closureRequestId);
  const publisher = await casePublisher(h.topics.caseEvents);
  await publisher.publish(story.events);
  await publisher.close();
  await waitForApplied(h.pool, 'projection', story.events.map((e) => e.id));
});
afterAll(async () => {
  await h?.close();
});

describe('the auditor CLI', () => {
  it('history prints the case events in log order', async () => {
    const r = await cli('history', story.caseId);
    expect(r.code).toBe(0);
    const ids = story.events.map((e) => e.id);
    const positions = ids.map((id) => r.out.indexOf(id));
    expect(positions.every((i) => i >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('as-of shows the case open before its closure and closed after', async () => {
    const before = await cli('as-of', story.caseId, story.day(5).toISOString());
    expect(before.code).toBe(0);
    expect(before.out).toMatch(/status\s+open/);
    const after = await cli('as-of', story.caseId, story.day(11).toISOString());
    expect(after.out).toMatch(/status\s+closed/);
    const bad = await cli('as-of', story.caseId, 'last tuesday');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('<time> must be an ISO 8601 time');
  });

  it('events filters by type; access-log lists the reads the commands above made, by this auditor', async () => {
    const events = await cli('events', '--type', 'case.closed.v1', '--case', story.caseId);
    expect(events.code).toBe(0);
    expect(events.out).toContain('case.closed.v1');
    expect(events.out).not.toContain('intervention.logged.v1');
    const log = await cli('access-log', '--case', story.caseId, '--json');
    expect(log.code).toBe(0);
    const entries = JSON.parse(log.out) as { user: string; caseId: string; action: string }[];
    expect(entries.filter((e) => e.user === 'aud-cli' && e.caseId === story.caseId).map((e) => e.action)).toEqual(expect.arrayContaining(['events', 'summary_as_of']));
  });

  it('refuses without a token (2), and reports an API refusal (1) without a stack', async () => {
    const saved = auditor;
    auditor = '';
    const none = await cli('history', story.caseId);
    auditor = saved;
    expect(none.code).toBe(2);
    expect(none.err).toContain('no token');
    const worker = await h.token('social_worker', [AREA], 'sw-cli');
    let err = '';
    // The access log is the auditors' alone.
    const code = await runAuditCli(['access-log', '--case', story.caseId], { stdout: { write: () => true }, stderr: { write: (s: string) => ((err += s), true) }, env: { SYV_TOKEN: worker, SYV_PROJECTION_URL: url } });
    expect(code).toBe(1);
    expect(err).toMatch(/403/);
    expect(err).not.toContain('    at ');
  });
});
