/** The local view of cases a command service keeps: does it exist, where, is it open. */
export function caseViewTableSql(schema: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${schema}.case_view (
  case_id uuid PRIMARY KEY,
  child_id text NOT NULL,
  area text NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'closed')),
  opened_at timestamptz NOT NULL,
  closed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS case_view_child ON ${schema}.case_view (area, child_id);`;
}
