import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GENERATED_DIR, JSON_SCHEMA_DIR, renderGeneratedFiles } from './generated-files.js';

// `pnpm contracts:generate`: rewrites contracts/generated/ from the zod schemas. Files of event
// types that no longer exist are removed, so the folder lists exactly the current contract.

function main(): void {
  const files = renderGeneratedFiles();
  const schemaDir = join(GENERATED_DIR, JSON_SCHEMA_DIR);
  mkdirSync(schemaDir, { recursive: true });
  for (const name of readdirSync(schemaDir)) {
    if (!files.has(`${JSON_SCHEMA_DIR}/${name}`)) rmSync(join(schemaDir, name));
  }
  for (const [path, content] of files) {
    mkdirSync(dirname(join(GENERATED_DIR, path)), { recursive: true });
    writeFileSync(join(GENERATED_DIR, path), content);
  }
  console.log(`contracts: wrote ${files.size} files to ${GENERATED_DIR}`);
}

main();
