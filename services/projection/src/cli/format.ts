import type { ReplayView } from '../audit/replay-view.js';

interface EventLine {
  id: string;
  type: string;
  time: string;
  subject: string;
  actor?: { sub: string; role: string };
}

export function formatEvents(events: readonly EventLine[], positions?: readonly string[]): string {
  if (events.length === 0) return 'no events';
  return events
    .map((e, i) => [positions?.[i] ?? String(i + 1).padStart(3), e.time, e.type.padEnd(28), e.subject, e.id, e.actor ? `${e.actor.role}:${e.actor.sub}` : ''].join('  '))
    .join('\n');
}

interface CaseView {
  caseId: string;
  area: string;
  status: string;
  asOf: string;
  openedAt: string | null;
  closedAt: string | null;
  riskLevel: string | null;
  supportDays: number | null;
  interventions: number;
  agencies: string[];
  onwardReferrals: { agency: string; waitDays: number; waiting: boolean }[];
  lastContactWithChild: { at: string; daysAgo: number; agency: string } | null;
  incidents: number;
  closure: { status: string; requestedAt: string } | null;
  flags: { rule: string; severity: string; explanation: string }[];
}

export function formatCase(c: CaseView): string {
  const lines = [
    `case ${c.caseId} (area ${c.area}) as of ${c.asOf}`,
    `  status          ${c.status}`,
    `  opened          ${c.openedAt ?? '-'}`,
    `  closed          ${c.closedAt ?? '-'}`,
    `  risk            ${c.riskLevel ?? '-'}`,
    `  support days    ${c.supportDays ?? '-'}`,
    `  interventions   ${c.interventions}`,
    // Agencies as the summary counts them: with interventions or a started onward referral.
    `  agencies        ${c.agencies.join(', ') || 'none'}`,
    `  incidents       ${c.incidents}`,
    `  last contact    ${c.lastContactWithChild ? `${c.lastContactWithChild.at} (${c.lastContactWithChild.daysAgo} days before, ${c.lastContactWithChild.agency})` : '-'}`,
    `  onward          ${c.onwardReferrals.map((r) => `${r.agency} ${r.waiting ? 'waiting' : 'started after'} ${r.waitDays} days`).join('; ') || '-'}`,
    `  closure         ${c.closure ? `${c.closure.status}, requested ${c.closure.requestedAt}` : '-'}`,
    `  flags           ${c.flags.length === 0 ? 'none' : ''}`,
    ...c.flags.map((f) => `    ${f.rule} (${f.severity}): ${f.explanation}`),
  ];
  return lines.join('\n');
}

export function formatAccessLog(entries: readonly { at: string; user: string; role: string; caseId: string; action: string }[]): string {
  if (entries.length === 0) return 'no reads recorded';
  return entries.map((e) => [e.at, `${e.role}:${e.user}`.padEnd(28), e.caseId, e.action].join('  ')).join('\n');
}

export function formatReplay(r: ReplayView): string {
  const lines = [
    `replay ${r.replayId}: ${r.status}${r.faultInjection ? ` (FAULT INJECTION: ${r.faultInjection})` : ''}`,
    `  events          ${r.eventsDone.toLocaleString('en-GB')} of ${r.eventsTotal.toLocaleString('en-GB')}${r.eventsPerSecond !== null ? `, ${r.eventsPerSecond.toLocaleString('en-GB')} events/s` : ''}`,
    `  started         ${r.startedAt}${r.finishedAt ? `, ended ${r.finishedAt}` : ''}`,
  ];
  if (r.checksums) {
    lines.push(`  live checksum   ${r.checksums.live}`, `  replay checksum ${r.checksums.replay}`);
    lines.push(`  matches         ${r.matches ? 'yes' : 'NO'} (${r.casesCompared ?? 0} cases compared)`);
  }
  if (r.differingCases.length > 0) {
    lines.push(`  differing cases (${r.differingCount ?? r.differingCases.length}):`);
    for (const d of r.differingCases.slice(0, 20)) lines.push(`    ${d.caseId}  ${d.tables.join(', ')}`);
  }
  if (r.error) lines.push(`  error           ${r.error}`);
  return lines.join('\n');
}
