import { h, mount } from '../h.js';
import { api, idempotencyKey, query } from '../api.js';
import { errorBox, heading, statusLine } from '../ui.js';
import { plural, timeEl, words } from '../words.js';

// The data protection officer's page: a subject access request (everything held about a child, as
// one JSON document to download), the retention job's dry run, and an erasure. Each calls the
// referral service's API with the officer's token; the officer sees no case otherwise.

const LEGAL_BASES = ['right_to_erasure', 'retention_period_ended', 'court_order', 'other'];

const childIdInput = (id) => h('input', { id, name: 'childId', required: true, maxlength: '64', pattern: '[A-Za-z0-9._:\\-]+', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': `${id}-hint` });
const areaSelect = (id, areas) => h('select', { id, name: 'area', required: true }, areas.map((a) => h('option', { value: a }, a)));

function subjectAccessForm(areas, signal) {
  const child = childIdInput('sar-child');
  // The document holds the child's texts as written: the page keeps at most one copy, and none once it is left.
  let href;
  const forget = () => {
    if (href) URL.revokeObjectURL(href);
    href = undefined;
  };
  signal.addEventListener('abort', forget, { once: true });
  const area = areaSelect('sar-area', areas);
  const result = h('div', { id: 'sar-result', 'aria-live': 'polite' });
  const form = h('form', {
    class: 'card',
    'aria-labelledby': 'sar-title',
    onsubmit: async (e) => {
      e.preventDefault();
      if (!form.reportValidity()) return;
      forget();
      mount(result, statusLine('Putting the document together…'));
      try {
        const doc = await api('referral', `/v1/children/${encodeURIComponent(child.value)}/record${query({ area: area.value })}`);
        const events = doc.cases.reduce((n, c) => n + (c.events?.length ?? 0), 0);
        const file = `subject-access-${doc.childId}-${doc.area}.json`;
        href = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
        mount(result, h('div', { class: 'saved', role: 'status', 'data-cases': String(doc.cases.length) },
          h('p', {}, h('strong', {}, 'Ready. '), `${plural(doc.cases.length, 'case')}, ${plural(events, 'event')}, ${plural(doc.dataKeys.length, 'data key')} (${doc.dataKeys.filter((k) => k.erasedAt).length} erased). Generated `, timeEl(doc.generatedAt), '; the request is in the access log.'),
          h('p', {}, h('a', { href, download: file, class: 'button primary', id: 'sar-download' }, `Download ${file}`)),
          h('p', { class: 'hint' }, 'It holds the child’s texts as written: keep it as you would the case file.')));
      } catch (err) {
        mount(result, errorBox(err));
      }
    },
  },
  h('h2', { id: 'sar-title' }, 'Subject access request'),
  h('p', {}, 'Everything held about a child in an area, as one JSON document: each case with every event and its texts, the record with corrections, flags, alerts, and who read it.'),
  h('label', { for: 'sar-child' }, 'Child id'),
  h('p', { class: 'hint', id: 'sar-child-hint' }, 'The pseudonymous id the referring system gave, never a name.'),
  child,
  h('label', { for: 'sar-area' }, 'Area'),
  area,
  result,
  h('p', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Put the document together')));
  return form;
}

async function retentionList(areas, signal) {
  const box = h('section', { class: 'card', 'aria-labelledby': 'due-title' }, h('h2', { id: 'due-title' }, 'Due for erasure'), statusLine('Loading…'));
  void (async () => {
    try {
      const { items } = await api('referral', '/v1/retention/due', { signal });
      mount(box, h('h2', { id: 'due-title' }, 'Due for erasure'),
        h('p', {}, `What the retention job would erase now in ${areas.join(', ')}: children whose every case closed at least the area's retention period ago.`),
        items.length
          ? h('table', { id: 'due' }, h('thead', {}, h('tr', {}, ['Child', 'Area', 'Last closure', 'Period ended'].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', {}, items.map((i) => h('tr', {}, h('td', {}, i.childId), h('td', {}, i.area), h('td', {}, timeEl(i.lastClosedAt, true)), h('td', {}, timeEl(i.dueSince, true))))))
          : h('p', { class: 'empty' }, 'Nobody is due.'));
    } catch (err) {
      if (!signal.aborted) mount(box, h('h2', { id: 'due-title' }, 'Due for erasure'), errorBox(err));
    }
  })();
  return box;
}

function erasureForm(areas) {
  const child = childIdInput('erase-child');
  const area = areaSelect('erase-area', areas);
  const basis = h('select', { id: 'erase-basis', name: 'legalBasis', required: true }, LEGAL_BASES.map((b) => h('option', { value: b }, words(b))));
  const reason = h('input', { id: 'erase-reason', name: 'reason', required: true, maxlength: '500', 'aria-describedby': 'erase-reason-hint' });
  const sure = h('input', { type: 'checkbox', id: 'erase-sure', required: true });
  const result = h('div', { id: 'erase-result', 'aria-live': 'polite' });
  let key = idempotencyKey();
  const form = h('form', {
    class: 'card danger',
    'aria-labelledby': 'erase-title',
    onsubmit: async (e) => {
      e.preventDefault();
      if (!form.reportValidity()) return;
      try {
        const answer = await api('referral', `/v1/children/${encodeURIComponent(child.value)}/erasure`, { method: 'POST', body: { area: area.value, legalBasis: basis.value, reason: reason.value }, headers: { 'idempotency-key': key } });
        key = idempotencyKey();
        mount(result, h('p', { class: 'saved', role: 'status' }, h('strong', {}, 'Erased. '), `${plural(answer.keyIds.length, 'data key')} deleted; ${plural(answer.cases.length, 'case')} now show the child’s texts as [erased]. Flags, dates and agencies remain.`));
      } catch (err) {
        mount(result, errorBox(err));
      }
    },
  },
  h('h2', { id: 'erase-title' }, 'Erase a child’s texts'),
  h('p', {}, 'Deletes the child’s data keys in the area: every text written about them there reads as [erased] from then on, everywhere it was copied. This cannot be undone.'),
  h('label', { for: 'erase-child' }, 'Child id'),
  h('p', { class: 'hint', id: 'erase-child-hint' }, 'The pseudonymous id, never a name.'),
  child,
  h('label', { for: 'erase-area' }, 'Area'),
  area,
  h('label', { for: 'erase-basis' }, 'Legal basis'),
  basis,
  h('label', { for: 'erase-reason' }, 'Reason'),
  h('p', { class: 'hint', id: 'erase-reason-hint' }, 'A reference to the request, order or review; it names no one and is kept as written.'),
  reason,
  h('p', {}, sure, h('label', { for: 'erase-sure', class: 'inline' }, ' I have checked the child id and the area.')),
  result,
  h('p', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Erase')));
  return form;
}

export async function dataProtectionView(main, { signal, claims }) {
  const areas = claims?.areas ?? [];
  mount(main,
    heading('Data protection', `Requests about a child’s data in ${areas.join(', ')}.`),
    subjectAccessForm(areas, signal),
    await retentionList(areas, signal),
    erasureForm(areas));
}
