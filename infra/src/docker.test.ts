import { describe, expect, it } from 'vitest';
import { dockerAvailable } from './docker.js';

describe('dockerAvailable', () => {
  it('answers within its time bound whether or not an engine exists, so a run without Docker is not held up', async () => {
    const started = Date.now();
    const answer = await dockerAvailable(3_000);
    expect(typeof answer).toBe('boolean');
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});
