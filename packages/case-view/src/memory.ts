import type { CaseRow } from './view.js';
import type { CaseViewChanges } from './batch.js';

/**
 * The case view in memory, in front of the table, so that a command's case lookup costs no round
 * trip. The consumer that writes the table puts what it committed here too; a lookup that finds
 * nothing reads the table (and the row read is kept). An entry is trusted for `ttlMs` after it was
 * last confirmed, by the table or by this process's consumer: another instance of the service may
 * consume this case's partition and change the table without this process hearing of it, so that
 * is how much older than the table an answer can be. At most `maxEntries` (oldest confirmed out first).
 */
export class CaseViewMemory {
  private readonly entries = new Map<string, { row: CaseRow; confirmedAt: number }>();
  // Changes applied since start: a table read that overlapped one is not kept (it may predate it).
  private changes = 0;

  constructor(
    private readonly opts: { ttlMs: number; maxEntries: number; now?: () => number },
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** A case known and confirmed within the ttl, else undefined (ask the table). */
  get(caseId: string): CaseRow | undefined {
    const entry = this.entries.get(caseId);
    if (!entry) return undefined;
    if (this.now() - entry.confirmedAt > this.opts.ttlMs) {
      this.entries.delete(caseId);
      return undefined;
    }
    return entry.row;
  }

  /** A token to pass to `remember` with the row a table read then answered. */
  mark(): number {
    return this.changes;
  }

  /** Keeps a row read from the table, unless the consumer changed anything since `mark` (the read may be older). */
  remember(row: CaseRow, mark: number): void {
    if (mark === this.changes && this.opts.ttlMs > 0) this.put(row);
  }

  /** What the consumer just committed to the table. Changes of a case not held are left to the table. */
  apply(changes: CaseViewChanges): void {
    if (changes.opened.size === 0 && changes.status.size === 0) return;
    this.changes++;
    for (const row of changes.opened.values()) this.put(row);
    for (const [caseId, s] of changes.status) {
      const entry = this.entries.get(caseId);
      if (!entry) continue;
      const { closedAt: _old, ...rest } = entry.row;
      this.put(s.closedAt ? { ...rest, status: s.status, closedAt: s.closedAt } : { ...rest, status: s.status });
    }
  }

  private put(row: CaseRow): void {
    if (this.opts.ttlMs <= 0 || this.opts.maxEntries <= 0) return;
    this.entries.delete(row.caseId);
    if (this.entries.size >= this.opts.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(row.caseId, { row, confirmedAt: this.now() });
  }
}
