// Labelling and victim-blaming phrases in case recording, with the wording to use instead
// (after the Children's Society language guidance). The report's parents heard
// "everything was his fault, his choice, his decisions"; this list makes such wording visible
// to the worker as they write, and to the supervisor afterwards.

export interface LexiconEntry {
  phrases: string[];
  suggestion: string;
}

export const DEFAULT_LEXICON: LexiconEntry[] = [
  { phrases: ['putting themselves at risk', 'putting himself at risk', 'putting herself at risk'], suggestion: 'is at risk of exploitation / may have been groomed' },
  { phrases: ['lifestyle choice', 'lifestyle choices', 'risky choices', 'poor choices'], suggestion: "describe the constraints on the child and the adults' actions" },
  { phrases: ['sexually active'], suggestion: 'has been sexually abused' },
  { phrases: ['involved in CCE'], suggestion: 'is a victim of criminal exploitation' },
  { phrases: ['involved in CSE'], suggestion: 'is a victim of sexual exploitation' },
  { phrases: ['associating with'], suggestion: 'is being exploited by' },
  { phrases: ['gang member', 'gang-related', 'gang related'], suggestion: 'describe the exploitation' },
  { phrases: ['streetwise', 'hard to engage', 'resilient', 'aggressive'], suggestion: 'adultification risk: describe the behaviour and the need behind it' },
  { phrases: ['recruited', 'goes back to'], suggestion: 'is being criminally exploited / controlled' },
  { phrases: ['money mule', 'plugging', 'child perpetrator', 'consented', 'consenting'], suggestion: 'describe the abuse' },
];

export interface LanguageFlag {
  phrase: string;
  /** Zero-based character offset of the match in the text. */
  position: number;
  /** The text as written at that position. */
  matched: string;
  suggestion: string;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a lexicon once; the matcher is then a pure function of the text. */
export function compileLexicon(lexicon: LexiconEntry[] = DEFAULT_LEXICON): (text: string) => LanguageFlag[] {
  const entries = lexicon.flatMap((e) =>
    e.phrases.map((phrase) => ({
      phrase,
      suggestion: e.suggestion,
      // Word boundaries by Unicode letters/digits, so "resilient" does not match "resiliently"
      // and a hyphenated phrase still matches as written; whitespace inside a phrase may vary.
      pattern: new RegExp(`(?<![\\p{L}\\p{N}])${phrase.split(/\s+/).map(escapeRegExp).join('\\s+')}(?![\\p{L}\\p{N}])`, 'giu'),
    })),
  );
  return (text) => {
    const flags: LanguageFlag[] = [];
    for (const entry of entries) {
      for (const m of text.matchAll(entry.pattern)) {
        flags.push({ phrase: entry.phrase, position: m.index, matched: m[0], suggestion: entry.suggestion });
      }
    }
    // Longer phrases win where two overlap ("gang-related" over nothing shorter, "lifestyle
    // choices" over "lifestyle choice"); then report in reading order.
    flags.sort((a, b) => a.position - b.position || b.matched.length - a.matched.length);
    return flags.filter((f, i) => {
      const prev = flags.slice(0, i).find((p) => f.position < p.position + p.matched.length);
      return prev === undefined;
    });
  };
}

export const findLabellingLanguage = compileLexicon();
