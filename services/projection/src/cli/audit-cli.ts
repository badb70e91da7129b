import { parseArgs } from 'node:util';
import type { ReplayView } from '../audit/replay-view.js';
import { ApiError, createApiClient, type ApiClient } from './api-client.js';
import { formatAccessLog, formatCase, formatEvents, formatReplay } from './format.js';
import { runReplay } from './replay-command.js';
import { auditUsage } from './usage.js';

export interface CliIo {
  stdout: NodeJS.WriteStream | { write(s: string): boolean; isTTY?: boolean };
  stderr: { write(s: string): boolean };
  env: NodeJS.ProcessEnv;
  /** Asks a yes/no question on the terminal; undefined when there is none to ask on. */
  confirm?: (question: string) => Promise<boolean>;
  /** Registers what Ctrl-C does while a replay is followed; returns the unregistration. */
  onInterrupt?: (handler: () => void) => () => void;
  fetch?: typeof fetch;
}

class UsageError extends Error {}

async function allPages<T>(api: ApiClient, path: string, cursorParam: string): Promise<T[]> {
  const items: T[] = [];
  let next: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { items: T[]; next: string | null } = await api.get(`${path}${next ? `${sep}${cursorParam}=${encodeURIComponent(next)}` : ''}`);
    items.push(...page.items);
    next = page.next;
  } while (next);
  return items;
}

const query = (params: Record<string, string | undefined>) => {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
  const s = q.toString();
  return s ? `?${s}` : '';
};

/** Runs one CLI command; answers the exit status. */
export async function runAuditCli(argv: readonly string[], io: CliIo): Promise<number> {
  const print = (s: string) => io.stdout.write(`${s}\n`);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        case: { type: 'string' },
        user: { type: 'string' },
        type: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        limit: { type: 'string' },
        attach: { type: 'string' },
        detach: { type: 'boolean', default: false },
        'accept-differences': { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${auditUsage}\n`);
    return 2;
  }
  const { values: o, positionals } = parsed;
  const [command, ...args] = positionals;
  if (o.help || command === undefined || command === 'help') {
    print(auditUsage);
    return command === undefined && !o.help ? 2 : 0;
  }
  const token = o.token ?? io.env.SYV_TOKEN;
  const url = o.url ?? io.env.SYV_PROJECTION_URL ?? 'http://127.0.0.1:3004';
  try {
    if (!token) throw new UsageError('no token: pass --token or set SYV_TOKEN (npm run -s token -- --role auditor --areas <codes>)');
    const api = createApiClient(url, token, io.fetch);
    const need = (i: number, what: string) => {
      const v = args[i];
      if (v === undefined) throw new UsageError(`${command} needs ${what}`);
      return v;
    };
    switch (command) {
      case 'history': {
        const caseId = need(0, '<caseId>');
        const res = await api.get<{ events: Parameters<typeof formatEvents>[0] }>(`/v1/cases/${encodeURIComponent(caseId)}/events`);
        print(o.json ? JSON.stringify(res, null, 2) : formatEvents(res.events));
        return 0;
      }
      case 'as-of': {
        const caseId = need(0, '<caseId>');
        const time = need(1, '<time>');
        if (Number.isNaN(Date.parse(time))) throw new UsageError(`<time> must be an ISO 8601 time, e.g. 2025-01-31T00:00:00Z; got ${time}`);
        const asOf = new Date(time).toISOString();
        const res = await api.get<Parameters<typeof formatCase>[0]>(`/v1/cases/${encodeURIComponent(caseId)}${query({ asOf })}`);
        print(o.json ? JSON.stringify(res, null, 2) : formatCase(res));
        return 0;
      }
      case 'events': {
        const items = await allPages<{ position: string; event: Parameters<typeof formatEvents>[0][number] }>(
          api,
          `/v1/audit/events${query({ type: o.type, from: o.from, to: o.to, caseId: o.case, limit: o.limit ?? '1000' })}`,
          'after',
        );
        print(o.json ? JSON.stringify(items, null, 2) : formatEvents(items.map((i) => i.event), items.map((i) => i.position)));
        return 0;
      }
      case 'access-log': {
        const items = await allPages<Parameters<typeof formatAccessLog>[0][number]>(api, `/v1/audit/access-log${query({ caseId: o.case, user: o.user, limit: '1000' })}`, 'after');
        print(o.json ? JSON.stringify(items, null, 2) : formatAccessLog(items));
        return 0;
      }
      case 'replays': {
        const res = await api.get<{ items: ReplayView[] }>('/v1/audit/replays');
        print(o.json ? JSON.stringify(res, null, 2) : res.items.map(formatReplay).join('\n\n') || 'no replays yet');
        return 0;
      }
      case 'promote': {
        const replayId = need(0, '<replayId>');
        const res = await api.post<ReplayView>(`/v1/audit/replays/${encodeURIComponent(replayId)}/promote`, { acceptDifferences: o['accept-differences'] });
        print(o.json ? JSON.stringify(res, null, 2) : `replay ${res.replayId} is ${res.status}`);
        return 0;
      }
      case 'replay':
        return await runReplay(api, { attach: o.attach, detach: o.detach, json: o.json }, io);
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${err.message}\n\n${auditUsage}\n`);
      return 2;
    }
    if (err instanceof ApiError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
