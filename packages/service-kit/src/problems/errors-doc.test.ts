import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS_DOC_COMMAND, ERRORS_DOC_PATH, renderErrorsDoc } from './errors-doc.js';

// docs/errors.md is checked in for readers; this keeps it equal to what the catalog says today.

describe('docs/errors.md', () => {
  it('is current with the problem catalog', () => {
    expect(existsSync(ERRORS_DOC_PATH), `docs/errors.md is missing: run \`${ERRORS_DOC_COMMAND}\``).toBe(true);
    expect(readFileSync(ERRORS_DOC_PATH, 'utf8'), `docs/errors.md is out of date with packages/service-kit/src/problems/catalog.ts: run \`${ERRORS_DOC_COMMAND}\` and commit the result`).toBe(
      renderErrorsDoc(),
    );
  });
});
