import { describe, expect, it } from 'vitest';
import { versionMatches } from './expected-version.js';

describe('versionMatches', () => {
  it('no_stream means version 0', () => {
    expect(versionMatches('no_stream', 0)).toBe(true);
    expect(versionMatches('no_stream', 1)).toBe(false);
  });
  it('a number must equal the stream version', () => {
    expect(versionMatches(3, 3)).toBe(true);
    expect(versionMatches(3, 4)).toBe(false);
    expect(versionMatches(0, 0)).toBe(true);
  });
  it('any matches everything', () => {
    expect(versionMatches('any', 0)).toBe(true);
    expect(versionMatches('any', 17)).toBe(true);
  });
});
