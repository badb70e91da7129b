import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../app/test-support.js';
import { runMintTokenCommand, type CommandIo } from './mint-token-command.js';
import { createVerifier } from './verifier.js';

function io(env: CommandIo['env'] = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), env } };
}

const jwtLine = /^[\w-]+\.[\w-]+\.[\w-]+\n$/;

describe('mint-token command', () => {
  it('prints only a token that the services verify, with the requested claims', async () => {
    const run = io({ JWT_SECRET: TEST_SECRET });
    const code = await runMintTokenCommand(['--sub', 'sup-9', '--role', 'supervisor', '--areas', 'E09000001,E09000002', '--ttl', '15m'], run.io);
    expect(code).toBe(0);
    expect(run.out).toHaveLength(1);
    expect(run.out[0]).toMatch(jwtLine);
    const result = await createVerifier({ JWT_SECRET: TEST_SECRET }).verify(run.out[0]!.trim());
    expect(result).toEqual({ ok: true, user: { sub: 'sup-9', role: 'supervisor', areas: ['E09000001', 'E09000002'] } });
    const payload = JSON.parse(Buffer.from(run.out[0]!.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    expect(payload.exp - payload.iat).toBe(15 * 60);
  });

  it('defaults to a social worker in E09000001 for 8 hours, signed with the development secret', async () => {
    const run = io();
    expect(await runMintTokenCommand([], run.io)).toBe(0);
    expect(run.err.join('')).toMatch(/JWT_SECRET is not set/);
    const result = await createVerifier({}).verify(run.out[0]!.trim());
    expect(result).toEqual({ ok: true, user: { sub: 'dev-social-worker', role: 'social_worker', areas: ['E09000001'] } });
  });

  it('prints usage for --help and exits 2 with the reason for bad arguments', async () => {
    const help = io();
    expect(await runMintTokenCommand(['--help'], help.io)).toBe(0);
    expect(help.out.join('')).toMatch(/^usage:/);

    for (const [args, reason] of [
      [['--role', 'admin'], /--role must be one of social_worker, supervisor, auditor/],
      [['--areas', ','], /--areas must be/],
      [['--ttl', 'forever'], /ttl must look like/],
      [['--ttl', '0s'], /--ttl must be positive/],
      [['--bogus'], /Unknown option/],
    ] as const) {
      const run = io();
      expect(await runMintTokenCommand(args, run.io)).toBe(2);
      expect(run.out).toEqual([]);
      expect(run.err.join('')).toMatch(reason);
    }
  });

  it('as a real process, writes nothing but the token on stdout', () => {
    const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
    const cli = join(import.meta.dirname, 'mint-token-cli.ts');
    const res = spawnSync(process.execPath, [tsxCli, cli, '--role', 'auditor', '--areas', 'W06000015'], {
      env: { ...process.env, JWT_SECRET: TEST_SECRET },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(jwtLine);
    return createVerifier({ JWT_SECRET: TEST_SECRET })
      .verify(res.stdout.trim())
      .then((result) => expect(result).toMatchObject({ ok: true, user: { role: 'auditor', areas: ['W06000015'] } }));
  });
});
