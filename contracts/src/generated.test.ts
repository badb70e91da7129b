import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR, JSON_SCHEMA_DIR, renderGeneratedFiles } from './generated-files.js';

// The generated JSON Schema and AsyncAPI files are checked in for readers and other tools; this
// keeps them equal to what the zod schemas say today.

const HOW_TO_FIX = 'is out of date with contracts/src: run `pnpm contracts:generate` and commit the result';
const files = renderGeneratedFiles();

describe('contracts/generated', () => {
  it.each([...files.keys()])('%s is current', (path) => {
    const onDisk = join(GENERATED_DIR, path);
    expect(existsSync(onDisk), `contracts/generated/${path} is missing: run \`pnpm contracts:generate\``).toBe(true);
    expect(readFileSync(onDisk, 'utf8'), `contracts/generated/${path} ${HOW_TO_FIX}`).toBe(files.get(path));
  });

  it('holds no schema of an event type that no longer exists', () => {
    const extra = readdirSync(join(GENERATED_DIR, JSON_SCHEMA_DIR)).filter((name) => !files.has(`${JSON_SCHEMA_DIR}/${name}`));
    expect(extra, `contracts/generated/${JSON_SCHEMA_DIR} ${HOW_TO_FIX}`).toEqual([]);
  });
});
