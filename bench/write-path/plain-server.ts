// The peer of the write-path benchmark: a plain Fastify route doing one INSERT into the same
// PostgreSQL, with the same pool size as the services, in a process of its own (as a service is),
// so it does not share an event loop with the load generator.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

const url = process.env.DATABASE_URL;
const port = Number(process.env.PORT);
const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? '10');
if (!url || !Number.isInteger(port)) throw new Error('DATABASE_URL and PORT are required');

const pool = new pg.Pool({ connectionString: url, max: poolSize });
await pool.query(`CREATE TABLE IF NOT EXISTS plain_interventions (id uuid PRIMARY KEY, case_id uuid NOT NULL, data jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`);
const app = Fastify({ logger: false });
app.post<{ Params: { caseId: string }; Body: unknown }>('/v1/cases/:caseId/interventions', async (request, reply) => {
  const id = randomUUID();
  await pool.query('INSERT INTO plain_interventions (id, case_id, data) VALUES ($1, $2, $3)', [id, request.params.caseId, JSON.stringify(request.body)]);
  return reply.code(201).send({ interventionId: id });
});
await app.listen({ host: '127.0.0.1', port });
console.log('ready');
process.on('SIGTERM', () => {
  void app.close().then(() => pool.end()).then(() => process.exit(0));
});
