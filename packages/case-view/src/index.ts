export { caseViewTableSql } from './schema.js';
export { applyToCaseView, casesOfChild, findCase, waitForCase, type CaseRow, type CaseViewEvent } from './view.js';
export { caseViewChanges, caseViewEventTypes, writeCaseViewChanges, type CaseViewChanges } from './batch.js';
export { CaseViewMemory } from './memory.js';
