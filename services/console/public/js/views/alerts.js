import { h, mount } from '../h.js';
import { api } from '../api.js';
import { readEventStream } from '../sse.js';
import { caseLink, errorBox, heading, statusLine } from '../ui.js';
import { ruleWords, severityBadge, timeEl } from '../words.js';

/** Live alerts of the supervisor's areas: the list so far, then the SSE stream, newest first. */
export function alertsView(main, { signal }) {
  const alerts = new Map(); // alertId → alert view
  const list = h('ol', { class: 'alerts', 'aria-label': 'Alerts, newest first' });
  const streamState = h('p', { class: 'stream-state', id: 'stream-state', role: 'status' }, 'Connecting to live alerts…');
  const announce = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const problems = h('div');
  const showAcknowledged = h('input', { type: 'checkbox', id: 'show-ack', onchange: render });

  mount(
    main,
    heading('Live alerts', 'Alerts of your areas arrive here as the rules raise them; no need to reload.'),
    streamState,
    h('p', {}, showAcknowledged, h('label', { for: 'show-ack', class: 'inline' }, ' Show acknowledged alerts too')),
    problems,
    announce,
    list,
  );

  function render() {
    const items = [...alerts.values()]
      .filter((a) => showAcknowledged.checked || a.status === 'open')
      .sort((a, b) => (b.raisedAt ?? '').localeCompare(a.raisedAt ?? '') || (b.receivedAt ?? 0) - (a.receivedAt ?? 0));
    mount(list, items.length ? items.map(alertItem) : h('li', { class: 'empty' }, 'No open alerts. New ones appear here as they are raised.'));
  }

  function alertItem(a) {
    const ack = a.status === 'open'
      ? h('button', { type: 'button', class: 'ack', onclick: (e) => acknowledge(a, e.currentTarget) }, 'Acknowledge')
      : h('p', { class: 'acked' }, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Acknowledged', a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : '', a.acknowledgedAt ? [' on ', timeEl(a.acknowledgedAt)] : '');
    return h(
      'li',
      { class: `alert ${a.status}`, 'data-alert-id': a.alertId, 'data-rule': a.rule, 'data-case-id': a.caseId },
      h('article', { 'aria-labelledby': `alert-${a.alertId}` },
        h('header', {}, severityBadge(a.severity), ' ', h('h2', { id: `alert-${a.alertId}` }, ruleWords(a.rule)), a.fresh ? h('span', { class: 'badge new' }, 'New') : null),
        h('p', { class: 'meta' }, caseLink(a.caseId), ` · area ${a.area} · raised `, timeEl(a.raisedAt), h('span', { class: 'rule-id' }, ` · rule ${a.rule}`)),
        h('p', { class: 'explanation' }, a.explanation),
        evidenceLinks(a.caseId, a.evidence),
        ack,
      ),
    );
  }

  async function acknowledge(a, button) {
    button.disabled = true;
    try {
      const updated = await api('projection', `/v1/alerts/${encodeURIComponent(a.alertId)}/acknowledge`, { method: 'POST' });
      alerts.set(a.alertId, { ...a, ...updated, fresh: false });
      announce.textContent = `Alert acknowledged: ${ruleWords(a.rule)}.`;
      render();
    } catch (err) {
      button.disabled = false;
      mount(problems, errorBox(err));
    }
  }

  // The stream first, then the list: an alert raised in between is in one or the other (or both,
  // and the map keeps one).
  readEventStream('/api/projection/v1/alerts/stream', {
    signal,
    onStatus: (state, detail) => {
      streamState.className = `stream-state ${state}`;
      streamState.textContent = state === 'live' ? '● Live: new alerts appear as they are raised.' : state === 'reconnecting' ? `○ Reconnecting… (${detail})` : `■ Not live: ${detail ?? 'stopped'}.`;
    },
    onEvent: ({ event, data }) => {
      if (event === 'alert.raised') {
        if (!alerts.has(data.alertId)) announce.textContent = `New alert: ${ruleWords(data.rule)}.`;
        alerts.set(data.alertId, { status: 'open', acknowledgedBy: null, acknowledgedAt: null, ...alerts.get(data.alertId), ...data, fresh: true, receivedAt: Date.now() });
      } else if (event === 'alert.acknowledged') {
        const known = alerts.get(data.alertId);
        if (known) alerts.set(data.alertId, { ...known, status: 'acknowledged', acknowledgedBy: data.acknowledgedBy ?? data.by ?? null, acknowledgedAt: data.acknowledgedAt ?? data.at ?? null, fresh: false });
      }
      render();
    },
  });

  const loading = statusLine('Loading alerts…');
  problems.append(loading);
  api('projection', '/v1/alerts?limit=200', { signal })
    .then((page) => {
      for (const a of page.items) if (!alerts.has(a.alertId)) alerts.set(a.alertId, a);
      loading.remove();
      render();
    })
    .catch((err) => {
      if (!signal.aborted) mount(problems, errorBox(err));
    });
}

/** Links to the events that made a rule fire, on the case page's timeline. */
export function evidenceLinks(caseId, evidence) {
  if (!evidence?.length) return null;
  return h(
    'p',
    { class: 'evidence' },
    'Evidence: ',
    evidence.map((id, i) => [i ? ', ' : '', h('a', { href: `#/case/${encodeURIComponent(caseId)}/event/${encodeURIComponent(id)}` }, `event ${String(id).slice(0, 8)}`)]),
  );
}
