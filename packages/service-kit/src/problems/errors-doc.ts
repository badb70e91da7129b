import { fileURLToPath } from 'node:url';
import { problemCodesIntro, problemCodesTable } from './codes-table.js';

// docs/errors.md is written from the catalog: the generator writes exactly this text and the
// staleness test compares it, so the document cannot say what the code does not.

export const ERRORS_DOC_PATH = fileURLToPath(new URL('../../../../docs/errors.md', import.meta.url));
export const ERRORS_DOC_COMMAND = 'pnpm errors:generate';

export function renderErrorsDoc(): string {
  return [
    '# Error codes',
    `<!-- Generated from packages/service-kit/src/problems/catalog.ts by \`${ERRORS_DOC_COMMAND}\`: edit the catalog, not this file. -->`,
    problemCodesIntro,
    'A case in an area the caller does not work in is answered exactly as a case that does not exist (`CASE_NOT_FOUND`), and any other record of another area as one that does not exist (`NOT_FOUND`), so that ids cannot be probed across areas.',
    problemCodesTable(),
  ].join('\n\n') + '\n';
}
