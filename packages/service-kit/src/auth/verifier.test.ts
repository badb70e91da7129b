import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, testConfig, TEST_SECRET } from '../app/test-support.js';
import { DEV_JWT_SECRET } from '../config/base-config.js';
import { mintDevToken } from './dev-token.js';
import { createVerifier } from './verifier.js';

const claims = { role: 'supervisor', areas: ['E09000001'] };

async function signRs256(privateKey: CryptoKey, kid: string, extra: Record<string, unknown> = {}, exp = '1h') {
  return new SignJWT({ ...claims, ...extra })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setSubject('sup-1')
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(privateKey);
}

describe('HS256 verification', () => {
  it('accepts a token signed with JWT_SECRET and returns the user', async () => {
    const verifier = createVerifier({ JWT_SECRET: TEST_SECRET });
    expect(verifier.algorithm).toBe('HS256');
    const token = await mintDevToken({ sub: 'u1', role: 'auditor', areas: ['E09000003'], secret: TEST_SECRET });
    expect(await verifier.verify(token)).toEqual({ ok: true, user: { sub: 'u1', role: 'auditor', areas: ['E09000003'] } });
  });

  it('falls back to the development secret with a loud warning', async () => {
    const warnings: string[] = [];
    const verifier = createVerifier({}, { logger: { warn: (_obj: unknown, msg?: string) => void warnings.push(String(msg)) } as never });
    expect(warnings[0]).toMatch(/JWT_SECRET is not set.*PUBLIC development secret/);
    const token = await mintDevToken({ sub: 'u1', role: 'social_worker', areas: ['E09000001'] });
    expect((await verifier.verify(token)).ok).toBe(true);
    expect(DEV_JWT_SECRET).toBe('dev-only-insecure-secret-change-me');
  });

  it('enforces issuer and audience when configured', async () => {
    const verifier = createVerifier({ JWT_SECRET: TEST_SECRET, JWT_ISSUER: 'syv-idp', JWT_AUDIENCE: 'syv-api' });
    const base = { sub: 'u1', role: 'social_worker' as const, areas: ['E09000001'], secret: TEST_SECRET };
    expect((await verifier.verify(await mintDevToken({ ...base, issuer: 'syv-idp', audience: 'syv-api' }))).ok).toBe(true);
    const wrongIssuer = await verifier.verify(await mintDevToken({ ...base, issuer: 'elsewhere', audience: 'syv-api' }));
    expect(wrongIssuer).toMatchObject({ ok: false, reason: 'claims_rejected', detail: expect.stringContaining('iss') });
  });

  it('refuses an RS256 token', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const verifier = createVerifier({ JWT_SECRET: TEST_SECRET });
    expect(await verifier.verify(await signRs256(privateKey, 'k1'))).toMatchObject({ ok: false, reason: 'algorithm_not_allowed' });
  });

  it('requires exp', async () => {
    const noExp = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u').sign(new TextEncoder().encode(TEST_SECRET));
    expect(await createVerifier({ JWT_SECRET: TEST_SECRET }).verify(noExp)).toMatchObject({ ok: false, reason: 'claims_rejected' });
  });
});

describe('RS256 verification against a JWKS URL', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;
  let requests = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    server = createServer((req, res) => {
      requests += 1;
      if (req.url !== '/.well-known/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts a token signed by a key in the JWKS', async () => {
    const verifier = createVerifier({ JWT_JWKS_URL: jwksUrl });
    expect(verifier.algorithm).toBe('RS256');
    const result = await verifier.verify(await signRs256(privateKey, 'key-1'));
    expect(result).toEqual({ ok: true, user: { sub: 'sup-1', role: 'supervisor', areas: ['E09000001'] } });
    expect(requests).toBeGreaterThan(0);
  });

  it('refuses an HS256 token even when it is signed with the configured JWT_SECRET', async () => {
    const verifier = createVerifier({ JWT_JWKS_URL: jwksUrl, JWT_SECRET: TEST_SECRET });
    const hs = await mintDevToken({ sub: 'u', role: 'supervisor', areas: ['E09000001'], secret: TEST_SECRET });
    expect(await verifier.verify(hs)).toMatchObject({ ok: false, reason: 'algorithm_not_allowed', detail: expect.stringContaining('RS256') });
  });

  it('refuses a token from a key the JWKS does not hold', async () => {
    const stranger = await generateKeyPair('RS256');
    const verifier = createVerifier({ JWT_JWKS_URL: jwksUrl });
    expect(await verifier.verify(await signRs256(stranger.privateKey, 'key-2'))).toMatchObject({ ok: false, reason: 'unknown_key' });
    expect(await verifier.verify(await signRs256(stranger.privateKey, 'key-1'))).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses an expired RS256 token', async () => {
    const verifier = createVerifier({ JWT_JWKS_URL: jwksUrl });
    const expired = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setSubject('sup-1')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(privateKey);
    expect(await verifier.verify(expired)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('wires into the app: RS256 accepted, HS256 answered 401', async () => {
    const app = await buildTestApp({
      config: testConfig({ JWT_JWKS_URL: jwksUrl }),
      routes: (a) => {
        a.get('/v1/whoami', async (request) => request.user);
      },
    });
    const ok = await app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(await signRs256(privateKey, 'key-1')) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().sub).toBe('sup-1');
    const hs = await mintDevToken({ sub: 'u', role: 'supervisor', areas: ['E09000001'], secret: TEST_SECRET });
    const refused = await app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(hs) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toMatch(/only accepts RS256/);
    await app.close();
  });

  it('answers 503, not 401, when the JWKS cannot be fetched', async () => {
    const app = await buildTestApp({
      config: testConfig({ JWT_JWKS_URL: jwksUrl.replace('/.well-known/jwks.json', '/missing') }),
      routes: (a) => {
        a.get('/v1/whoami', async (request) => request.user);
      },
    });
    const res = await app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(await signRs256(privateKey, 'key-1')) });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('AUTH_UNAVAILABLE');
    await app.close();
  });
});

describe('verified tokens are remembered until they expire', () => {
  it('answers a token seen before from memory, and forgets it at exp', async () => {
    let clock = Date.now();
    const verifier = createVerifier({ JWT_SECRET: TEST_SECRET }, { now: () => clock, cacheSize: 2 });
    const token = await mintDevToken({ sub: 'u1', role: 'supervisor', areas: ['E09000001'], secret: TEST_SECRET, ttl: '60s' });
    const first = await verifier.verify(token);
    expect(first).toEqual({ ok: true, user: { sub: 'u1', role: 'supervisor', areas: ['E09000001'] } });
    const second = await verifier.verify(token);
    expect(second).toEqual(first);
    // The same verified user object, frozen: one request cannot change what the next one sees.
    expect(second.ok && Object.isFrozen(second.user) && Object.isFrozen(second.user.areas)).toBe(true);
    // Past exp (by the cache's clock) the entry is dropped and the token verified again.
    clock += 120_000;
    expect(await verifier.verify(token)).toEqual(first);
  });

  it('never remembers a failure, and holds at most cacheSize tokens', async () => {
    const verifier = createVerifier({ JWT_SECRET: TEST_SECRET }, { cacheSize: 1 });
    const forged = await mintDevToken({ sub: 'u1', role: 'supervisor', areas: ['E09000001'], secret: 'another-secret-of-enough-length' });
    expect(await verifier.verify(forged)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(await verifier.verify(forged)).toMatchObject({ ok: false, reason: 'bad_signature' });
    const a = await mintDevToken({ sub: 'a', role: 'auditor', areas: ['E09000001'], secret: TEST_SECRET });
    const b = await mintDevToken({ sub: 'b', role: 'auditor', areas: ['E09000001'], secret: TEST_SECRET });
    expect(await verifier.verify(a)).toMatchObject({ ok: true, user: { sub: 'a' } });
    expect(await verifier.verify(b)).toMatchObject({ ok: true, user: { sub: 'b' } });
    expect(await verifier.verify(a)).toMatchObject({ ok: true, user: { sub: 'a' } });
  });

  it('refuses an expired token that was accepted while it was valid', async () => {
    let clock = Date.now();
    const verifier = createVerifier({ JWT_SECRET: TEST_SECRET }, { now: () => clock, clockToleranceSeconds: 0 });
    const token = await mintDevToken({ sub: 'u1', role: 'supervisor', areas: ['E09000001'], secret: TEST_SECRET, ttl: '1s' });
    expect((await verifier.verify(token)).ok).toBe(true);
    // After exp the entry is dropped and jose decides, on the real clock: wait it out.
    await new Promise((r) => setTimeout(r, 2_100));
    clock = Date.now();
    expect(await verifier.verify(token)).toMatchObject({ ok: false, reason: 'expired' });
  });
});
