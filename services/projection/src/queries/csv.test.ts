import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv.js';

describe('csvField', () => {
  it('writes plain text and numbers as they are', () => {
    expect(csvField('camhs')).toBe('camhs');
    expect(csvField(0.125)).toBe('0.125');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(1234567)).toBe('1234567');
  });

  it('writes null as an empty cell and keeps an empty string empty', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('');
  });

  it('quotes a field holding a comma, a quote or a line break, doubling its quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "no"')).toBe('"say ""no"""');
    expect(csvField('"')).toBe('""""');
    expect(csvField('one\ntwo')).toBe('"one\ntwo"');
    expect(csvField('one\r\ntwo')).toBe('"one\r\ntwo"');
    expect(csvField('cr\r')).toBe('"cr\r"');
  });

  it('leaves other punctuation and spaces unquoted', () => {
    expect(csvField(" it's; fine ")).toBe(" it's; fine ");
  });
});

describe('toCsv', () => {
  it('ends every row with CRLF', () => {
    expect(
      toCsv([
        ['area', 'measure', 'agency', 'value'],
        ['E09000001', 'medianWaitDays', 'camhs', 12.5],
        ['E09000001', 'shareOfClosuresFlagged', '', null],
      ]),
    ).toBe('area,measure,agency,value\r\nE09000001,medianWaitDays,camhs,12.5\r\nE09000001,shareOfClosuresFlagged,,\r\n');
  });

  it('writes nothing for no rows', () => {
    expect(toCsv([])).toBe('');
  });
});
