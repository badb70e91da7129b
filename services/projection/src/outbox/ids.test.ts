import { describe, expect, it } from 'vitest';
import { alertIdOf, uuidV5 } from './ids.js';

describe('uuidV5', () => {
  it('given the RFC 9562 example (DNS namespace, "www.example.com"), then it gives the published UUID', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('given the same alert key twice, then the alert id is the same; another key gives another id', () => {
    expect(alertIdOf('c:SLOW_START:r1')).toBe(alertIdOf('c:SLOW_START:r1'));
    expect(alertIdOf('c:SLOW_START:r2')).not.toBe(alertIdOf('c:SLOW_START:r1'));
    expect(alertIdOf('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
