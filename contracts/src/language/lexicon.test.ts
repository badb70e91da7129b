import { describe, expect, it } from 'vitest';
import { compileLexicon, findLabellingLanguage } from './lexicon.js';

describe('labelling language', () => {
  it('finds a phrase case-insensitively and reports phrase, position and suggestion', () => {
    const text = 'J is Putting Themselves At Risk by going out late.';
    expect(findLabellingLanguage(text)).toEqual([
      { phrase: 'putting themselves at risk', position: 5, matched: 'Putting Themselves At Risk', suggestion: 'is at risk of exploitation / may have been groomed' },
    ]);
  });
  it('matches on word boundaries only', () => {
    expect(findLabellingLanguage('She responded resiliently to the plan.')).toEqual([]);
    expect(findLabellingLanguage('He is resilient.')).toHaveLength(1);
    expect(findLabellingLanguage('unconsented')).toEqual([]);
  });
  it('tolerates line breaks inside a phrase', () => {
    expect(findLabellingLanguage('described as hard\nto engage')[0]?.phrase).toBe('hard to engage');
  });
  it('reports several phrases in reading order', () => {
    const flags = findLabellingLanguage('A gang member who is streetwise and involved in CCE.');
    expect(flags.map((f) => [f.phrase, f.position])).toEqual([
      ['gang member', 2],
      ['streetwise', 21],
      ['involved in CCE', 36],
    ]);
  });
  it('prefers the longer of two overlapping phrases', () => {
    expect(findLabellingLanguage('Poor lifestyle choices.').map((f) => f.phrase)).toEqual(['lifestyle choices']);
  });
  it('finds nothing in child-centred wording', () => {
    expect(findLabellingLanguage('T is being criminally exploited by adults who control where he goes.')).toEqual([]);
  });
  it('can be extended per area', () => {
    const find = compileLexicon([{ phrases: ['known to police'], suggestion: 'say what happened and who was harmed' }]);
    expect(find('He is known to police.')[0]?.position).toBe(6);
  });
});
