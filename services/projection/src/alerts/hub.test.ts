import { describe, expect, it } from 'vitest';
import { makeEvent, SOURCES, type AlertEvent } from '@syv/contracts';
import { createAlertHub } from './hub.js';

const caseId = '11111111-1111-4111-8111-111111111111';
function raised(area: string, id?: string): AlertEvent {
  return makeEvent(
    'alert.raised.v1',
    { alertId: '22222222-2222-4222-8222-222222222222', caseId, area, rule: 'SLOW_START', severity: 'medium', explanation: 'No contact yet.', evidence: [caseId], raisedAt: '2024-03-04T10:00:00Z' },
    { ...(id ? { id } : {}), source: SOURCES.projection, area, correlationid: caseId, causationid: caseId, actor: { sub: 'projection', role: 'system' } },
  );
}

describe('alert hub', () => {
  it('given listeners of two areas, when an alert of one area is published, then only that area hears it', () => {
    const hub = createAlertHub();
    const a: AlertEvent[] = [];
    const b: AlertEvent[] = [];
    hub.subscribe({ areas: ['E1'], send: (e) => a.push(e) });
    hub.subscribe({ areas: ['E2', 'E3'], send: (e) => b.push(e) });
    expect(hub.publish(raised('E1'))).toBe(1);
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(0);
  });

  it('given the topic delivers an alert twice, when published twice, then listeners hear it once', () => {
    const hub = createAlertHub();
    const got: AlertEvent[] = [];
    hub.subscribe({ areas: ['E1'], send: (e) => got.push(e) });
    const e = raised('E1');
    hub.publish(e);
    hub.publish(e);
    expect(got).toHaveLength(1);
  });

  it('given a listener that unsubscribed, when an alert is published, then it hears nothing', () => {
    const hub = createAlertHub();
    const got: AlertEvent[] = [];
    const off = hub.subscribe({ areas: ['E1'], send: (e) => got.push(e) });
    off();
    hub.publish(raised('E1'));
    expect(got).toHaveLength(0);
    expect(hub.listeners()).toBe(0);
  });

  it('given a worker listening, when alerts of their case and of a colleague\'s are published, then they hear only their own', () => {
    const hub = createAlertHub();
    const worker: AlertEvent[] = [];
    const supervisor: AlertEvent[] = [];
    hub.subscribe({ areas: ['E1'], worker: 'sw-1', send: (e) => worker.push(e) });
    hub.subscribe({ areas: ['E1'], send: (e) => supervisor.push(e) });
    expect(hub.hasWorkers()).toBe(true);
    hub.publish(raised('E1', '33333333-3333-4333-8333-333333333331'), 'sw-1');
    hub.publish(raised('E1', '33333333-3333-4333-8333-333333333332'), 'sw-2');
    hub.publish(raised('E1', '33333333-3333-4333-8333-333333333333'), null);
    expect(worker.map((e) => e.id)).toEqual(['33333333-3333-4333-8333-333333333331']);
    expect(supervisor).toHaveLength(3);
  });

  it('given a worker who leaves, when they unsubscribe (twice), then nobody needs allocations looked up', () => {
    const hub = createAlertHub();
    hub.subscribe({ areas: ['E1'], send: () => undefined });
    const off = hub.subscribe({ areas: ['E1'], worker: 'sw-1', send: () => undefined });
    expect(hub.hasWorkers()).toBe(true);
    off();
    off();
    expect(hub.hasWorkers()).toBe(false);
    expect(hub.listeners()).toBe(1);
  });
});
