// Where a CPU profile's time goes: self time by area (PostgreSQL driver, Kafka client, JWT, zod,
// Fastify, JSON, the event store, GC, idle…) and the functions with the most self time. Reads a
// .cpuprofile written by node --cpu-prof (e.g. bench/write-path.ts --cpu-prof DIR).
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const AREAS: [string, RegExp][] = [
  ['idle', /^\(idle\)$/],
  ['garbage collection', /^\(garbage collector\)$/],
  ['program (native, unattributed)', /^\(program\)$/],
  ['pg driver', /node_modules\/(\.pnpm\/)?(pg|pg-protocol|pg-pool|pg-types|pgpass|postgres-)/],
  ['Kafka client', /kafkajs|@confluentinc|node-rdkafka/],
  ['JWT (jose)', /jose/],
  ['zod', /\/zod\//],
  ['fastify and its plugins', /fastify|find-my-way|avvio|light-my-request|@fastify|fast-json-stringify|secure-json-parse|ajv/],
  ['pino (logging)', /pino|sonic-boom|thread-stream/],
  ['@syv/event-store', /packages\/event-store\//],
  ['@syv/command-service', /packages\/command-service\//],
  ['@syv/case-view', /packages\/case-view\//],
  ['@syv/service-kit', /packages\/service-kit\//],
  ['@syv/contracts', /\/contracts\//],
  ['@syv/kafka-projection, messaging', /packages\/(kafka-projection|messaging)\//],
  ['services (routes, deciders)', /\/services\//],
  ['tsx loader', /tsx/],
  ['node: crypto', /node:crypto|internal\/crypto/],
  ['node: http, net, streams', /node:(_http|http|net|stream)|internal\/(http|streams|net|stream_base)/],
  ['node: other', /^node:|internal\//],
];

function areaOf(frame: Node['callFrame']): string {
  const key = frame.url || frame.functionName;
  for (const [name, re] of AREAS) if (re.test(key)) return name;
  if (!frame.url && /^(JSON\.|stringify|parse)/.test(frame.functionName)) return 'JSON (native)';
  if (!frame.url) return `native: ${frame.functionName || '(anonymous)'}`;
  return 'other JS';
}

const file = process.argv[2];
if (!file) {
  console.error('usage: tsx cpu-profile-summary.ts FILE.cpuprofile [top] [inclusive regexes, comma-separated]');
  process.exit(2);
}
const top = Number(process.argv[3] ?? '25');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const areas = new Map<string, number>();
const fns = new Map<string, number>();
for (const [id, us] of self) {
  const frame = byId.get(id)!.callFrame;
  const area = areaOf(frame);
  areas.set(area, (areas.get(area) ?? 0) + us);
  const fn = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(packages|services|contracts)\//, '$1/')}:${frame.lineNumber + 1}`;
  fns.set(fn, (fns.get(fn) ?? 0) + us);
}
const idle = areas.get('idle') ?? 0;
const busy = total - idle;
const pct = (us: number, of: number) => `${((100 * us) / of).toFixed(1).padStart(5)} %`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${pct(busy, total).trim()}); shares below are of busy time`);
console.log('\nby area:');
for (const [name, us] of [...areas].filter(([n]) => n !== 'idle').sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us, busy)}  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${name}`);
console.log('\nfunctions by self time:');
for (const [name, us] of [...fns].filter(([n]) => !n.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us, busy)}  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${name}`);

// Inclusive time of chosen frames (synchronous stacks only: an async function's time is counted on
// each resumption), not counted twice when a frame calls itself.
const inclusive = process.argv[4]?.split(',').filter(Boolean) ?? [];
if (inclusive.length > 0) {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: Node) => `${n.callFrame.functionName} ${n.callFrame.url}`;
  console.log('\ninclusive (synchronous stacks):');
  for (const pattern of inclusive) {
    const re = new RegExp(pattern);
    let us = 0;
    for (const [id, t] of self) {
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        if (re.test(label(byId.get(cur)!))) {
          us += t;
          break;
        }
      }
    }
    console.log(`${pct(us, busy)}  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${pattern}`);
  }
}
