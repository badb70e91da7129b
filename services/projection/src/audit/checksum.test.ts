import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHECKSUMMED_TABLES, checksumOf, compareDigests, type CaseDigests } from './checksum.js';

const md5 = (s: string) => createHash('md5').update(s).digest();

/** A case's digests with the given tables' rows (by name); the others empty. */
function digestsOf(rows: Partial<Record<string, string>>): Buffer {
  const b = Buffer.alloc(CHECKSUMMED_TABLES.length * 16);
  for (const [i, table] of CHECKSUMMED_TABLES.entries()) if (rows[table] !== undefined) md5(rows[table]).copy(b, i * 16);
  return b;
}

describe('read-model digests', () => {
  const live: CaseDigests = new Map([
    ['a', digestsOf({ cases: 'a open', case_events: 'e1 e2' })],
    ['b', digestsOf({ cases: 'b closed', alerts: 'x' })],
    ['c', digestsOf({ cases: 'c open' })],
  ]);

  it('the same read model in any insertion order has the same checksum, and matches itself', () => {
    const again: CaseDigests = new Map([...live].reverse().map(([k, v]) => [k, Buffer.from(v)]));
    expect(checksumOf(again)).toBe(checksumOf(live));
    expect(compareDigests(live, again)).toEqual({ casesCompared: 3, differing: [] });
  });

  it('names the cases and the tables that differ, and cases missing on either side', () => {
    const replayed: CaseDigests = new Map([
      ['a', digestsOf({ cases: 'a open', case_events: 'e1 e2' })],
      ['b', digestsOf({ cases: 'b closed' })], // its alert is missing
      ['d', digestsOf({ cases: 'd open' })],
    ]);
    expect(checksumOf(replayed)).not.toBe(checksumOf(live));
    expect(compareDigests(live, replayed)).toEqual({
      casesCompared: 4,
      differing: [
        { caseId: 'b', tables: ['alerts'] },
        { caseId: 'c', tables: ['missing in replay'] },
        { caseId: 'd', tables: ['missing in live'] },
      ],
    });
  });

  it('an empty table and a table whose rows hash to anything else are told apart', () => {
    const one: CaseDigests = new Map([['a', digestsOf({ cases: 'a' })]]);
    const two: CaseDigests = new Map([['a', digestsOf({ cases: 'a', referrals: '' })]]);
    expect(compareDigests(one, two).differing).toEqual([{ caseId: 'a', tables: ['referrals'] }]);
  });
});
