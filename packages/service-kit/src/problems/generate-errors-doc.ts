import { writeFileSync } from 'node:fs';
import { ERRORS_DOC_PATH, renderErrorsDoc } from './errors-doc.js';

// `pnpm errors:generate`: rewrites docs/errors.md from the problem catalog.

writeFileSync(ERRORS_DOC_PATH, renderErrorsDoc());
console.log(`service-kit: wrote ${ERRORS_DOC_PATH}`);
