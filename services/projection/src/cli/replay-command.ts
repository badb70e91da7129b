import type { ReplayView } from '../audit/replay-view.js';
import type { ApiClient } from './api-client.js';
import type { CliIo } from './audit-cli.js';
import { formatReplay } from './format.js';
import { createProgressBar } from './progress-bar.js';

const ACTIVE = new Set(['running', 'cancelling']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a replay (or follows one already started) with a progress bar until it ends, then prints
 * the checksums and whether they match. Ctrl-C asks whether to cancel it on the server or only
 * stop watching; without a terminal to ask on, it only stops watching.
 */
export async function runReplay(api: ApiClient, o: { attach: string | undefined; detach: boolean; json: boolean }, io: CliIo): Promise<number> {
  const started = o.attach ? await api.get<ReplayView>(`/v1/audit/replays/${encodeURIComponent(o.attach)}`) : await api.post<ReplayView>('/v1/audit/replays');
  const id = started.replayId;
  io.stderr.write(`replay ${id} ${o.attach ? 'followed' : 'started'}; follow it again with: npm run -s audit -- replay --attach ${id}\n`);
  if (o.detach) {
    io.stdout.write(o.json ? `${JSON.stringify(started, null, 2)}\n` : `${formatReplay(started)}\n`);
    return 0;
  }
  const bar = createProgressBar(io.stdout);
  let interrupted = false;
  const off = io.onInterrupt?.(() => (interrupted = true));
  try {
    let view = started;
    for (;;) {
      if (!o.json) bar.update(view);
      if (!ACTIVE.has(view.status)) break;
      if (interrupted) {
        bar.done();
        interrupted = false;
        const cancel = io.confirm ? await io.confirm(`Cancel replay ${id} on the server? (no: leave it running and stop watching) [y/N] `) : false;
        if (!cancel) {
          io.stderr.write(`left replay ${id} running; follow it again with: npm run -s audit -- replay --attach ${id}\n`);
          return 0;
        }
        view = await api.post<ReplayView>(`/v1/audit/replays/${encodeURIComponent(id)}/cancel`);
        continue;
      }
      await sleep(500);
      view = await api.get<ReplayView>(`/v1/audit/replays/${encodeURIComponent(id)}`);
    }
    bar.done();
    io.stdout.write(o.json ? `${JSON.stringify(view, null, 2)}\n` : `${formatReplay(view)}\n`);
    if (view.status === 'finished') return view.matches ? 0 : 3;
    return view.status === 'cancelled' ? 0 : 1;
  } finally {
    off?.();
  }
}
