export { caseViewTableSql } from './schema.js';
export { applyToCaseView, casesOfChild, findCase, waitForCase, type CaseRow, type CaseViewEvent } from './view.js';
