import { h } from './h.js';

const DAY = 86_400_000;
const days = (a, b) => Math.max(0, Math.floor((Date.parse(b) - Date.parse(a)) / DAY));

let charts = 0;

/** The pattern that marks time still being waited (or over a limit), so it reads without colour too. */
function defs(id) {
  return h('defs', {}, h('pattern', { id, width: '6', height: '6', patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
    h('rect', { width: '6', height: '6', fill: '#fff' }), h('rect', { width: '2.5', height: '6', fill: '#a4161a' })));
}

/**
 * One row per onward referral, from the day it was made to the day it started (solid) or to now
 * (hatched, "still waiting"), on one time axis with the case's contacts with the child as dots, so
 * a CAMHS referral that took months, or weeks with nobody seeing the child, are visible at a glance.
 * Every bar has its day count as text, and the chart has a text equivalent (its <desc> and the table).
 */
export function waitChart(summary, contacts, thresholds = { camhs: 28, other: 42 }) {
  const end = summary.closedAt ?? summary.asOf;
  const starts = [summary.openedAt, ...summary.onwardReferrals.map((o) => o.referredAt), ...contacts].filter(Boolean).map(Date.parse);
  const from = Math.min(...starts, Date.parse(end));
  // A bar is the wait: it stops at the start, the refusal or the withdrawal.
  const waitEnd = (o) => o.startedAt ?? o.declinedAt ?? o.withdrawnAt ?? end;
  const to = Math.max(Date.parse(end), ...summary.onwardReferrals.map((o) => Date.parse(waitEnd(o))));
  const label = 130;
  const width = 760;
  const rowH = 34;
  const rows = summary.onwardReferrals.length + 1;
  const height = rows * rowH + 40;
  const x = (iso) => label + ((Date.parse(iso) - from) / Math.max(to - from, DAY)) * (width - label - 110);

  const how = (o) => (o.waiting ? 'still waiting after' : o.status === 'declined' ? 'declined after' : o.status === 'withdrawn' ? 'withdrawn after' : 'started after');
  const description = summary.onwardReferrals.map((o) => `${o.agency}: ${how(o)} ${o.waitDays} days`).join('; ') || 'No onward referrals.';
  // Ids of its own: a caseload draws one chart per case on one page.
  const n = ++charts;
  const svg = h('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `wait-title-${n} wait-desc-${n}` },
    h('title', { id: `wait-title-${n}` }, 'Waiting times of onward referrals, and contacts with the child'),
    h('desc', { id: `wait-desc-${n}` }, description),
  );
  const hatch = `hatch-${n}`;
  svg.append(defs(hatch));
  summary.onwardReferrals.forEach((o, i) => {
    const y = 10 + i * rowH;
    const stop = waitEnd(o);
    const x0 = x(o.referredAt);
    const x1 = Math.max(x(stop), x0 + 2);
    const limit = thresholds[o.agency] ?? thresholds.other;
    svg.append(
      h('text', { x: '0', y: String(y + 17) }, o.agency.replace(/_/g, ' ')),
      h('rect', { x: String(x0), y: String(y + 4), width: String(x1 - x0), height: '18', class: o.waiting ? 'bar-wait' : 'bar-done', fill: o.waiting ? `url(#${hatch})` : null, 'data-agency': o.agency },
        h('title', {}, `${o.agency}: referred ${o.referredAt.slice(0, 10)}, ${o.waiting ? 'not started' : `${how(o).replace(' after', '')} ${String(waitEnd(o)).slice(0, 10)}`}`)),
      h('text', { x: String(x1 + 6), y: String(y + 17), class: 'wait-days' }, o.waiting ? `waiting ${o.waitDays} days` : o.status === 'declined' ? `declined after ${o.waitDays} days` : `${o.waitDays} days`),
    );
    const limitAt = new Date(Date.parse(o.referredAt) + limit * DAY).toISOString();
    if (Date.parse(limitAt) <= to) svg.append(h('line', { x1: String(x(limitAt)), x2: String(x(limitAt)), y1: String(y), y2: String(y + 26), class: 'threshold' }, h('title', {}, `${limit}-day wait limit`)));
  });
  const cy = 10 + summary.onwardReferrals.length * rowH;
  svg.append(h('text', { x: '0', y: String(cy + 17) }, 'contact with child'), h('line', { x1: String(label), x2: String(x(end)), y1: String(cy + 13), y2: String(cy + 13), class: 'axis' }));
  for (const c of contacts) svg.append(h('circle', { cx: String(x(c)), cy: String(cy + 13), r: '5', class: 'bar-done' }, h('title', {}, `contact ${c.slice(0, 10)}`)));
  const axisY = height - 14;
  svg.append(
    h('line', { x1: String(label), x2: String(width - 110), y1: String(axisY - 12), y2: String(axisY - 12), class: 'axis' }),
    h('text', { x: String(label), y: String(axisY + 4) }, new Date(from).toISOString().slice(0, 10)),
    h('text', { x: String(width - 110), y: String(axisY + 4), 'text-anchor': 'end' }, summary.closedAt ? `closed ${end.slice(0, 10)}` : `now ${end.slice(0, 10)}`),
  );
  return svg;
}

/** Horizontal bars with their value written beside them: `[{ label, value, text }]`, optional dashed limit. */
export function barChart(title, items, { max, limit, limitLabel } = {}) {
  const width = 480;
  const label = 120;
  const rowH = 26;
  const top = max ?? Math.max(1, limit ?? 0, ...items.map((i) => i.value));
  const x = (v) => label + (v / top) * (width - label - 150);
  const svg = h('svg', { class: 'chart', viewBox: `0 0 ${width} ${items.length * rowH + 10}`, role: 'img', 'aria-label': `${title}: ${items.map((i) => `${i.label} ${i.text}`).join('; ') || 'no data'}` });
  const hatch = `hatch-${++charts}`;
  svg.append(defs(hatch));
  items.forEach((item, n) => {
    const y = 4 + n * rowH;
    svg.append(
      h('text', { x: '0', y: String(y + 14) }, item.label),
      h('rect', { x: String(label), y: String(y + 2), width: String(Math.max(1, x(item.value) - label)), height: '16', class: item.warn ? 'bar-wait' : 'bar-done', fill: item.warn ? `url(#${hatch})` : null }),
      h('text', { x: String(x(item.value) + 5), y: String(y + 14) }, item.text),
    );
  });
  if (limit !== undefined) svg.append(h('line', { x1: String(x(limit)), x2: String(x(limit)), y1: '0', y2: String(items.length * rowH + 8), class: 'threshold' }, h('title', {}, limitLabel ?? `limit ${limit}`)));
  return svg;
}

export { days };
