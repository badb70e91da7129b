import type pg from 'pg';
import type { AuthUser } from '@syv/service-kit';

type AccessAction = 'list' | 'summary' | 'summary_as_of' | 'events' | 'record' | 'audit_events' | 'subject_access';

/** Every read of a case is recorded, who and when, whichever route read it. */
export async function recordAccess(db: pg.Pool, schema: string, user: AuthUser, caseIds: readonly string[], action: AccessAction): Promise<void> {
  if (caseIds.length === 0) return;
  await db.query(
    `INSERT INTO ${schema}.access_log (user_sub, user_role, case_id, action) SELECT $1, $2, c, $4 FROM unnest($3::uuid[]) AS c`,
    [user.sub, user.role, caseIds, action],
  );
}
