import type { ReplayView } from '../audit/replay-view.js';

type ReplayProgress = Pick<ReplayView, 'eventsDone' | 'eventsTotal' | 'percent' | 'eventsPerSecond' | 'etaSeconds' | 'status'>;

const n = (x: number) => x.toLocaleString('en-GB');

function duration(seconds: number | null): string {
  if (seconds === null) return '--';
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m}m${String(seconds % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** `[██████░░░░]  60.0%  60,000/100,000 events  2,345 ev/s  ETA 17s` */
function progressLine(p: ReplayProgress, width = 30): string {
  const filled = Math.round((Math.min(100, p.percent) / 100) * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const rate = p.eventsPerSecond === null ? '-- ev/s' : `${n(p.eventsPerSecond)} ev/s`;
  return `[${bar}] ${p.percent.toFixed(1).padStart(5)}%  ${n(p.eventsDone)}/${n(p.eventsTotal)} events  ${rate}  ETA ${duration(p.etaSeconds)}  ${p.status}`;
}

interface ProgressBar {
  update(p: ReplayProgress): void;
  done(): void;
}

/**
 * On a terminal the line is redrawn in place; into a file or a pipe each update is its own line,
 * so a log of the run keeps the whole progression.
 */
export function createProgressBar(out: NodeJS.WriteStream | { write(s: string): boolean; isTTY?: boolean }): ProgressBar {
  const tty = Boolean(out.isTTY);
  let drawn = false;
  return {
    update(p) {
      const line = progressLine(p);
      if (tty) out.write(`\r\x1b[2K${line}`);
      else out.write(`${new Date().toISOString()} ${line}\n`);
      drawn = true;
    },
    done() {
      if (tty && drawn) out.write('\n');
      drawn = false;
    },
  };
}
