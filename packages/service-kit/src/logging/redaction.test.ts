import { describe, expect, it } from 'vitest';
import { captureLogs } from '../app/test-support.js';
import { createLogger } from './create-logger.js';
import { createRedactor, REDACTED } from './redaction.js';

describe('redaction', () => {
  it('replaces free-text keys at any depth and in arrays, ignoring case, without touching the input', () => {
    const input = {
      caseId: 'c-1',
      Notes: 'top',
      interventions: [{ id: 'i-1', notes: 'deep', nested: { rationale: 'deeper', summary: 'x' } }],
      closure: { reason: 'moved', closureRequestId: 'r-1' },
    };
    const out = createRedactor()(input);
    expect(out).toEqual({
      caseId: 'c-1',
      Notes: REDACTED,
      interventions: [{ id: 'i-1', notes: REDACTED, nested: { rationale: REDACTED, summary: REDACTED } }],
      closure: { reason: REDACTED, closureRequestId: 'r-1' },
    });
    expect(input.Notes).toBe('top');
  });

  it("given a risk assessment's narrative, when logged, then the child's and the family's words are redacted like every other free text", () => {
    const out = createRedactor()({ assessmentId: 'a-1', harmOutsideHome: ['online'], childViews: 'I said', familyViews: 'We said', rationale: 'why', description: 'what' });
    expect(out).toEqual({ assessmentId: 'a-1', harmOutsideHome: ['online'], childViews: REDACTED, familyViews: REDACTED, rationale: REDACTED, description: REDACTED });
  });

  it('leaves class instances to their serializers and survives cycles', () => {
    const cyclic: Record<string, unknown> = { id: 'x' };
    cyclic.self = cyclic;
    const date = new Date(0);
    const out = createRedactor()({ cyclic, date });
    expect(out.date).toBe(date);
    expect((out.cyclic as Record<string, unknown>).self).toBe('[too deep]');
  });

  it('applies to every logger line, including errors, whose extra fields are dropped', () => {
    const logs = captureLogs();
    const log = createLogger({ name: 'svc', destination: logs.stream, redactKeys: ['nickname'] });
    const err = Object.assign(new Error('duplicate key'), { code: '23505', detail: 'Key (notes)=(private words) already exists.' });
    log.error({ err, caseId: 'c-9', body: { nickname: 'Jay', notes: 'private words' } }, 'append failed');
    const text = logs.text();
    expect(text).not.toContain('private words');
    expect(text).not.toContain('Jay');
    expect(logs.lines()[0]).toMatchObject({ caseId: 'c-9', err: { message: 'duplicate key', code: '23505' } });
  });
});
