import { h } from './h.js';

/** A status line for loading and errors; role=status so screen readers hear it. */
export function statusLine(text = '') {
  return h('p', { class: 'status', role: 'status' }, text);
}

export function errorBox(err) {
  const fields = Array.isArray(err?.body?.errors) ? err.body.errors : [];
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('p', {}, h('strong', {}, 'Error: '), err?.status ? `${err.status} — ` : '', err?.message ?? String(err)),
    fields.length ? h('ul', {}, fields.map((f) => h('li', {}, `${f.field ?? f.path ?? ''}: ${f.message ?? ''}`))) : null,
  );
}

export function heading(text, sub) {
  return h('header', { class: 'view-header' }, h('h1', { tabindex: '-1' }, text), sub ? h('p', { class: 'lede' }, sub) : null);
}

export const caseLink = (caseId, text) => h('a', { href: `#/case/${encodeURIComponent(caseId)}` }, text ?? `Case ${String(caseId).slice(0, 8)}`);

/** Where each role starts after signing in, and when a page is not found. */
export function homeFor(role) {
  return { auditor: '#/audit', social_worker: '#/my-cases', data_protection_officer: '#/data-protection' }[role] ?? '#/alerts';
}
