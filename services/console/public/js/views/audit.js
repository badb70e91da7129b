import { h, mount } from '../h.js';
import { api, query } from '../api.js';
import { eventDetail } from '../case-events.js';
import { caseLink, errorBox, heading, statusLine } from '../ui.js';
import { eventWords, timeEl, words } from '../words.js';

const UUID = /^[0-9a-fA-F-]{36}$/;

/** Everything in log order (GET /v1/audit/events), paged, and a way into one case's history. */
export async function auditHistoryView(main, { signal, navigate }) {
  const caseInput = h('input', { id: 'case-id', name: 'caseId', required: true, size: '40', pattern: '[0-9a-fA-F\\-]{36}', 'aria-describedby': 'case-id-hint' });
  const list = h('tbody');
  const more = h('div');
  const state = statusLine('Loading the log…');
  mount(
    main,
    heading('History', 'Every recorded event of your areas, in log order. Open a case for its own history and the as-of slider.'),
    h('form', { class: 'card inline-form', onsubmit: (e) => { e.preventDefault(); if (UUID.test(caseInput.value.trim())) navigate(`#/case/${caseInput.value.trim()}`); } },
      h('div', {}, h('label', { for: 'case-id' }, 'Case id'), h('p', { id: 'case-id-hint', class: 'hint' }, 'The case’s UUID.'), caseInput),
      h('button', { type: 'submit' }, 'Open the case')),
    h('section', { class: 'card', 'aria-labelledby': 'log-title' },
      h('h2', { id: 'log-title' }, 'The log'),
      state,
      h('table', {}, h('thead', {}, h('tr', {}, ['Position', 'Happened', 'Event', 'Case', 'By', 'Details'].map((t) => h('th', { scope: 'col' }, t)))), list),
      more),
  );

  async function page(after) {
    try {
      const res = await api('projection', `/v1/audit/events${query({ after, limit: 100 })}`, { signal });
      const items = res.items ?? res.events ?? [];
      state.textContent = '';
      for (const item of items) {
        const e = item.event ?? item;
        const pos = typeof item.position === 'string' ? item.position : item.position ? `${item.position.partition}:${item.position.offset}` : '';
        list.append(h('tr', {},
          h('td', { class: 'mono' }, pos),
          h('td', {}, timeEl(e.time)),
          h('td', {}, eventWords(e.type)),
          h('td', {}, e.subject ? caseLink(e.subject) : '—'),
          h('td', {}, e.actor ? `${e.actor.sub} (${words(e.actor.role)})` : '—'),
          h('td', {}, eventDetail(e)),
        ));
      }
      if (!items.length && !after) state.textContent = 'No events yet.';
      const next = res.next ?? res.nextAfter ?? null;
      mount(more, next ? h('button', { type: 'button', onclick: () => page(next) }, 'Load more') : null);
    } catch (err) {
      if (!signal.aborted) mount(state, errorBox(err));
    }
  }
  await page(undefined);
}

/** Start a replay of all history into a shadow read model; follow its progress; show the proof. */
export function replayView(main, { signal }) {
  const panel = h('div', { 'aria-live': 'polite', id: 'replay-panel' });
  const start = h('button', { type: 'button', class: 'primary', id: 'start-replay', onclick: () => begin() }, 'Start a replay');
  const recent = h('div');
  mount(
    main,
    heading('Replay', 'Rebuild the whole read model from the first event into a shadow copy while the live one keeps serving, then compare the two.'),
    h('section', { class: 'card' }, h('p', {}, 'Only one replay runs at a time. The result is a checksum of the live read model and of the replayed one over the same events: they must match.'), start, panel),
    recent,
  );

  // A replay already under way (started here or by someone else) is followed rather than refused.
  void api('projection', '/v1/audit/replays?limit=5', { signal })
    .then((res) => {
      const items = res.items ?? [];
      if (items[0] && (items[0].status === 'running' || items[0].status === 'cancelling')) void follow(items[0].replayId);
      if (!items.length) return;
      mount(recent, h('section', { class: 'card', 'aria-labelledby': 'recent-title' }, h('h2', { id: 'recent-title' }, 'Recent replays'),
        h('table', {}, h('thead', {}, h('tr', {}, ['Started', 'By', 'Status', 'Events', 'Matches'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, items.map((r) => h('tr', {}, h('td', {}, timeEl(r.startedAt)), h('td', {}, r.requestedBy), h('td', {}, words(r.status)), h('td', {}, `${r.eventsDone} of ${r.eventsTotal}`),
            h('td', {}, r.matches === true ? '✓ yes' : r.matches === false ? '✗ no' : '—')))))));
    })
    .catch((err) => {
      if (!signal.aborted) mount(recent, errorBox(err));
    });

  async function begin() {
    start.disabled = true;
    try {
      const created = await api('projection', '/v1/audit/replays', { method: 'POST', body: {} });
      await follow(created.replayId ?? created.id);
    } catch (err) {
      mount(panel, errorBox(err));
      if (err.status === 409) panel.append(h('p', {}, 'Another replay is running: reload this page to follow it.'));
    } finally {
      start.disabled = false;
    }
  }

  async function follow(id) {
    const bar = h('progress', { id: 'replay-progress', max: '100', value: '0', 'aria-describedby': 'replay-text' });
    const text = h('p', { id: 'replay-text' }, 'Starting…');
    const result = h('div', { id: 'replay-result' });
    mount(panel, h('p', { class: 'meta' }, `Replay ${id}`), bar, text, result);
    while (!signal.aborted) {
      const r = await api('projection', `/v1/audit/replays/${encodeURIComponent(id)}`, { signal });
      const done = r.eventsDone ?? r.progress?.done ?? 0;
      const total = r.eventsTotal ?? r.progress?.total ?? 0;
      const pct = Math.round(r.percent ?? (total ? Math.min(100, (done / total) * 100) : r.status === 'running' ? 0 : 100));
      bar.value = pct;
      bar.textContent = `${pct}%`;
      const rate = r.eventsPerSecond ?? r.progress?.eventsPerSecond;
      const eta = r.etaSeconds ?? r.progress?.etaSeconds;
      text.textContent = `${words(r.status)}: ${done} of ${total} events (${pct}%)${rate ? ` · ${Math.round(rate)} events/s` : ''}${eta !== undefined && eta !== null && r.status === 'running' ? ` · about ${Math.ceil(eta)} s left` : ''}`;
      if (r.status !== 'running' && r.status !== 'cancelling') {
        mount(result, outcome(r));
        return;
      }
      await new Promise((res) => setTimeout(res, 500));
    }
  }
}

function outcome(r) {
  const live = r.liveChecksum ?? r.checksums?.live;
  const replayed = r.replayChecksum ?? r.checksums?.replayed ?? r.checksums?.replay;
  if (r.status === 'failed' || r.status === 'cancelled') return errorBox(new Error(`The replay ${r.status}${r.error ? `: ${r.error}` : ''}.`));
  const differing = r.differingCases ?? [];
  return h('div', { 'data-matches': String(r.matches) },
    r.matches
      ? h('p', { class: 'result-match' }, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Matches: the replayed read model equals the live one.')
      : h('p', { class: 'result-differ' }, h('span', { 'aria-hidden': 'true' }, '✗ '), 'Does not match: the replayed read model differs from the live one.'),
    h('dl', { class: 'summary' },
      h('dt', {}, 'Live checksum'), h('dd', { class: 'mono' }, live ?? '—'),
      h('dt', {}, 'Replayed checksum'), h('dd', { class: 'mono' }, replayed ?? '—'),
      r.casesCompared !== undefined && r.casesCompared !== null ? [h('dt', {}, 'Cases compared'), h('dd', {}, String(r.casesCompared))] : null,
      h('dt', {}, 'Finished'), h('dd', {}, r.finishedAt ? timeEl(r.finishedAt) : '—'),
    ),
    differing.length ? [h('h3', {}, 'Cases that differ'), h('ul', {}, differing.map((d) => h('li', {}, caseLink(d.caseId), `: ${(d.tables ?? []).join(', ')}`)))] : null,
  );
}

/** Who read which case, when, filtered by case or by user. */
export async function accessLogView(main, { signal }) {
  const caseInput = h('input', { id: 'log-case', name: 'caseId', size: '38' });
  const userInput = h('input', { id: 'log-user', name: 'user', size: '20' });
  const body = h('tbody');
  const state = statusLine('');
  const more = h('div');
  mount(
    main,
    heading('Access log', 'Every read of a case: who, when, which case and how.'),
    h('form', { class: 'card inline-form', onsubmit: (e) => { e.preventDefault(); mount(body); void load(undefined); } },
      h('div', {}, h('label', { for: 'log-case' }, 'Case id'), caseInput),
      h('div', {}, h('label', { for: 'log-user' }, 'User id'), userInput),
      h('button', { type: 'submit' }, 'Filter')),
    state,
    h('table', {}, h('thead', {}, h('tr', {}, ['When', 'Who', 'Role', 'Case', 'Read'].map((t) => h('th', { scope: 'col' }, t)))), body),
    more,
  );

  async function load(after) {
    state.textContent = 'Loading…';
    try {
      const res = await api('projection', `/v1/audit/access-log${query({ caseId: caseInput.value.trim(), user: userInput.value.trim(), after, limit: 100 })}`, { signal });
      const items = res.items ?? res.entries ?? [];
      for (const a of items) body.append(h('tr', {}, h('td', {}, timeEl(a.at)), h('td', {}, a.user), h('td', {}, words(a.role)), h('td', {}, caseLink(a.caseId)), h('td', {}, words(a.action))));
      state.textContent = items.length || after ? '' : 'No reads recorded for this filter.';
      mount(more, res.next ? h('button', { type: 'button', onclick: () => load(res.next) }, 'Load more') : null);
    } catch (err) {
      if (!signal.aborted) mount(state, errorBox(err));
    }
  }
  await load(undefined);
}

