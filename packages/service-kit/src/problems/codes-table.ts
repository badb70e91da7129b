import { problemCatalog } from './catalog.js';

/** The catalog as a Markdown table, for docs/errors.md and every service's OpenAPI description. */
export function problemCodesTable(): string {
  const rows = Object.entries(problemCatalog).map(([code, { status, title, meaning }]) => `| \`${code}\` | ${status} | ${cell(title)} | ${cell(meaning)} |`);
  return ['| code | status | title | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** The sentence both documents put before the table. */
export const problemCodesIntro =
  'Every error answer is `application/problem+json` (RFC 9457) with a stable `code`, the same for the same situation from every service; `detail` explains the occurrence and `requestId` identifies the request.';

const cell = (text: string) => text.replaceAll('|', '\\|');
