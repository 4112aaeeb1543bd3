import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { faqsToCsv, parseLines } from './faq-csv';

describe('FAQ CSV export', () => {
  it('quotes commas, quotes and line breaks so a CSV parser reads every field back', () => {
    const csv = faqsToCsv([
      {
        question: '运费多少，谁付？',
        answer: '满99元包邮, 否则 "8元"\n偏远地区除外',
        alternates: ['邮费多少', 'shipping fee'],
        tags: ['物流'],
        enabled: false,
      },
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parse(csv.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      {
        question: '运费多少，谁付？',
        answer: '满99元包邮, 否则 "8元"\n偏远地区除外',
        alternates: '邮费多少|shipping fee',
        tags: '物流',
        enabled: 'false',
      },
    ]);
  });

  it('reads alternates one per line, trimmed, without blanks or repeats', () => {
    expect(parseLines(' 怎么退货\n\n退货流程 \r\n怎么退货\n')).toEqual(['怎么退货', '退货流程']);
  });
});
