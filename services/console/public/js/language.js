import { h } from './h.js';

// Labelling language in notes, as the intervention service's check reports it
// ({ phrase, position, matched?, suggestion }): the phrases marked in the text, and the wording to
// use instead. The matching itself is the service's; the page only shows what it answered.

/** Where a reported phrase ends in the text: its words as written, whitespace between them as it is. */
function endOf(text, flag) {
  if (typeof flag.matched === 'string') return flag.position + flag.matched.length;
  let i = flag.position;
  for (const ch of flag.phrase) {
    if (/\s/.test(ch)) while (i < text.length && /\s/.test(text[i])) i++;
    else i++;
  }
  return Math.min(i, text.length);
}

/**
 * The text as text nodes, each labelling phrase in a <mark> whose title is the suggestion. Never
 * markup from the text: it goes in through h(), as text.
 */
export function markedText(text, flags = []) {
  const parts = [];
  let at = 0;
  for (const f of [...flags].sort((a, b) => a.position - b.position)) {
    if (f.position < at || f.position >= text.length) continue;
    const end = endOf(text, f);
    parts.push(text.slice(at, f.position), h('mark', { class: 'labelling', title: `Try: ${f.suggestion}`, 'data-phrase': f.phrase }, text.slice(f.position, end)));
    at = end;
  }
  parts.push(text.slice(at));
  return parts.filter((p) => p !== '');
}

/** One line per phrase found: the words as written and the wording to use instead. */
export function suggestionList(text, flags, attrs = {}) {
  return h('ul', { class: 'suggestions', ...attrs }, flags.map((f) =>
    h('li', { 'data-phrase': f.phrase },
      h('q', { class: 'phrase' }, text.slice(f.position, endOf(text, f)) || f.phrase),
      h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' → '),
      h('span', { class: 'visually-hidden' }, ' could be written as: '),
      h('span', { class: 'suggestion' }, f.suggestion))));
}
