// On-demand fuzzing of the command services and the projection through their OpenAPI documents: thousands of
// malformed, oversized, wrongly typed or encoded and unauthorised requests. Exits non-zero on any
// 5xx, any refusal that is not problem+json with a code, a service that died, or anything recorded.
import type { ServiceName } from '@syv/launcher';
import { parseOptions, wholeNumber } from './lib/args.js';
import { createFixtures } from './lib/fixtures.js';
import { documentedRoutes, type DocumentedRoute } from './lib/openapi-routes.js';
import { BENCH_JWT_SECRET, startBenchSystem, type BenchSystem } from './lib/system.js';
import { buildFuzzContext } from './fuzz/context.js';
import { describeChange, settledSnapshot } from './fuzz/recorded.js';
import { deadServices, describeRequest, fuzzRequest, runFuzz } from './fuzz/run.js';
import { closeAgent } from './fuzz/send.js';

const usage = `usage: pnpm --filter @syv/bench fuzz -- [options]
   or: cd bench && ../node_modules/.bin/tsx fuzz.ts [options]

Starts Kafka and PostgreSQL (as the tests do), the referral, intervention, case-closure and
projection services on their own ports with a throwaway database and topics, and fuzzes every
documented route. Fails (exit 1) on any 5xx, a 4xx that is not application/problem+json with a
code, a 2xx to a request that had to be refused, a service that stops answering, or any change in
the services' events tables, the case-events topic, or what only a request makes the projection
write (acknowledged alerts, replays, promotions; not the access log, which allowed reads grow).

options:
  --requests N      how many requests (default 5000)
  --seed S          the run's seed (default: random, printed); the same seed sends the same requests
  --concurrency C   requests in flight (default 16)
  --show I          print request I of --seed without running anything, then exit
  --base-port P     services on P+1..P+4 (default 17000)
  --kafka-port K    the bench's own broker (default 19592)
  --help            this text`;

const values = parseOptions(usage, { requests: '5000', seed: '', concurrency: '16', show: '', 'base-port': '17000', 'kafka-port': '19592' });

const wholeInt = (name: keyof typeof values) => wholeNumber(name, String(values[name]), usage);

const requests = wholeInt('requests');
const concurrency = Math.max(1, wholeInt('concurrency'));
const seed = values.seed === '' ? Math.floor(Math.random() * 2 ** 31) : wholeInt('seed');
const SERVICES: ServiceName[] = ['referral', 'intervention', 'case-closure', 'projection'];
const AREA = 'E09000061';
const OTHER = 'E09000062';
const log = (msg: string) => console.log(`[fuzz] ${msg}`);

let sys: BenchSystem | undefined;
let exitCode = 1;
try {
  log(`seed ${seed} (--seed ${seed} to replay), ${requests} requests, ${concurrency} in flight`);
  sys = await startBenchSystem({ only: SERVICES, basePort: wholeInt('base-port'), kafkaPort: wholeInt('kafka-port'), log });
  const urls = Object.fromEntries(SERVICES.map((s) => [s, (sys as BenchSystem).url(s)]));
  const kafka = { brokers: sys.kafkaBrokers, topic: sys.caseEventsTopic };
  const routes: DocumentedRoute[] = [];
  for (const s of SERVICES) routes.push(...(await documentedRoutes(s, urls[s] as string)));
  log(`${routes.length} documented routes: ${routes.map((r) => `${r.service} ${r.key}`).join(', ')}`);
  const fixtures = await createFixtures({ referral: urls.referral as string, caseClosure: urls['case-closure'] as string }, kafka);
  const ctx = await buildFuzzContext({ secret: BENCH_JWT_SECRET, area: AREA, otherArea: OTHER, fixtures, projection: urls.projection as string });
  await fixtures.close();

  if (values.show !== '') {
    const r = fuzzRequest(seed, wholeInt('show'), routes, ctx);
    console.log({ ...r, body: r.body?.toString('utf8').slice(0, 2_000) });
    exitCode = 0;
  } else {
    const before = await settledSnapshot(sys.databaseUrl, kafka);
    const started = Date.now();
    let lastPrint = 0;
    const report = await runFuzz({
      seed,
      requests,
      concurrency,
      routes,
      urls,
      ctx,
      onProgress: (sent, failures) => {
        if (sent === requests || Date.now() - lastPrint > 2_000) {
          lastPrint = Date.now();
          log(`${sent}/${requests} sent, ${failures} failures, ${Math.round(sent / ((Date.now() - started) / 1000))} req/s`);
        }
      },
    });
    const after = await settledSnapshot(sys.databaseUrl, kafka);
    const problems = [...describeChange(before, after).map((c) => `recorded: ${c}`), ...(await deadServices(urls))];
    for (const s of sys.system.services) {
      if (await Promise.race([s.exited.then(() => true), Promise.resolve(false)])) problems.push(`${s.name}: process exited`);
    }
    log(`statuses: ${JSON.stringify(report.byStatus)}`);
    log(`families: ${JSON.stringify(report.byFamily)}`);
    for (const f of report.failures.slice(0, 50)) log(`FAIL #${f.index} ${f.request}: ${f.reason}`);
    if (report.failures.length > 50) log(`… and ${report.failures.length - 50} more`);
    for (const p of problems) log(`FAIL ${p}`);
    const total = report.failures.length + problems.length;
    log(`${report.sent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${seed}: ${total === 0 ? '0 failures' : `${total} failures`}`);
    if (report.failures[0]) log(`replay one: --seed ${seed} --show ${report.failures[0].index} (${describeRequest(fuzzRequest(seed, report.failures[0].index, routes, ctx))})`);
    exitCode = total === 0 ? 0 : 1;
  }
} catch (err) {
  console.error(`[fuzz] could not run: ${err instanceof Error ? err.message : String(err)}`);
  if (sys) console.error(sys.lines.slice(-40).join('\n'));
} finally {
  closeAgent();
  await sys?.stop().catch((err: unknown) => console.error(`[fuzz] stopping: ${String(err)}`));
}
process.exit(exitCode);
