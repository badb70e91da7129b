import { createHash } from 'node:crypto';

export interface Migration {
  /**
   * Whose migration this is. Every component numbers its own versions from 1, so the event store
   * and a service never have to agree on version ranges. Defaults to 'service'.
   */
  component?: string;
  version: number;
  name: string;
  /** Runs with search_path set to the service's schema (then public): write unqualified names. */
  sql: string;
}

export interface AppliedMigration {
  component: string;
  version: number;
  checksum: string;
}

interface PlannedMigration {
  component: string;
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export type MigrationPlan = { ok: true; pending: PlannedMigration[] } | { ok: false; problems: string[] };

export const DEFAULT_COMPONENT = 'service';

export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/**
 * What to apply, in the order given, or why not. Refuses rather than guesses: a migration edited
 * after it ran (checksum), a pending version below one already applied (someone merged an old
 * branch), versions out of order or repeated within a component. Applied versions the list does not
 * know are fine: that is an older build running against a database a newer one already migrated.
 */
export function planMigrations(migrations: readonly Migration[], applied: readonly AppliedMigration[]): MigrationPlan {
  const problems: string[] = [];
  const appliedByKey = new Map(applied.map((a) => [`${a.component}#${a.version}`, a]));
  const highestApplied = new Map<string, number>();
  for (const a of applied) highestApplied.set(a.component, Math.max(highestApplied.get(a.component) ?? 0, a.version));

  const lastSeen = new Map<string, number>();
  const pending: PlannedMigration[] = [];
  for (const m of migrations) {
    const component = m.component ?? DEFAULT_COMPONENT;
    const label = `${component} migration ${m.version} (${m.name})`;
    if (!Number.isInteger(m.version) || m.version < 1) {
      problems.push(`${label}: version must be a positive integer`);
      continue;
    }
    const previous = lastSeen.get(component);
    if (previous !== undefined && m.version <= previous) {
      problems.push(`${label}: versions of a component must be listed in increasing order without repeats (after ${previous})`);
      continue;
    }
    lastSeen.set(component, m.version);

    const checksum = migrationChecksum(m.sql);
    const done = appliedByKey.get(`${component}#${m.version}`);
    if (done) {
      if (done.checksum !== checksum) problems.push(`${label}: its SQL changed after it was applied; add a new migration instead`);
      continue;
    }
    const highest = highestApplied.get(component) ?? 0;
    if (m.version < highest) {
      problems.push(`${label}: pending, but version ${highest} of ${component} is already applied`);
      continue;
    }
    pending.push({ component, version: m.version, name: m.name, sql: m.sql, checksum });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, pending };
}
