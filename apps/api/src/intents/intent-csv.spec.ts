import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { parseIntentCsv } from './intent-csv';

// "intent,example / refund,我要退款 / refund,退款多久到账 / shipping,什么时候发货" as Excel on Chinese
// Windows saves it: GBK.
const GBK_CSV = Buffer.from(
  '696e74656e742c6578616d706c650a726566756e642cced2d2aacdcbbfee0a726566756e642ccdcbbfeeb6e0bec3b5bdd5cb0a' +
    '7368697070696e672ccab2c3b4cab1baf2b7a2bbf50a',
  'hex',
);

describe('parseIntentCsv', () => {
  it('reads a UTF-8 file (with or without a BOM) without warnings', () => {
    const csv = Buffer.from('\uFEFFintent,example\nrefund,我要退款\n');
    expect(parseIntentCsv(csv, 'intents.csv')).toEqual({
      rows: [{ intent: 'refund', example: '我要退款' }],
      warnings: [],
    });
  });

  it('takes the columns headed in Chinese, 意图 and 例句, as an FAQ upload takes 问题 and 答案', () => {
    expect(
      parseIntentCsv(Buffer.from('意图,例句\n退货,我要退货\n退货, 怎么退 \n'), 'intents.csv').rows,
    ).toEqual([
      { intent: '退货', example: '我要退货' },
      { intent: '退货', example: '怎么退' },
    ]);
    // In any order, beside other columns, with the other names a sheet may use.
    expect(parseIntentCsv('备注,示例,意图名称\n,什么时候发货,物流\n').rows).toEqual([
      { intent: '物流', example: '什么时候发货' },
    ]);
    expect(() => parseIntentCsv('意图,回答\n退货,可以\n')).toThrow(
      /"intent" and "example" \(or 意图 and 例句\)/,
    );
  });

  it('reads rows added with LF to a CRLF file as rows, not as part of the row before', () => {
    expect(parseIntentCsv('intent,example\r\nrefund,我要退款\nshipping,几天到\r\n').rows).toEqual([
      { intent: 'refund', example: '我要退款' },
      { intent: 'shipping', example: '几天到' },
    ]);
  });

  it('reads a GBK file as Chinese, as an FAQ upload is, and says so', () => {
    expect(parseIntentCsv(GBK_CSV, '意图.csv')).toEqual({
      rows: [
        { intent: 'refund', example: '我要退款' },
        { intent: 'refund', example: '退款多久到账' },
        { intent: 'shipping', example: '什么时候发货' },
      ],
      warnings: [{ code: 'read_as_gbk', values: { file: '意图.csv' } }],
    });
  });

  it('refuses bytes that are neither UTF-8 nor Chinese GBK, naming the offset, instead of importing mojibake', () => {
    const latin1 = Buffer.from('intent,example\nrefund,Café remboursé\n', 'latin1');
    const err = (() => {
      try {
        parseIntentCsv(latin1, 'intents.csv');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BadRequestException);
    expect((err as BadRequestException).getResponse()).toMatchObject({
      code: 'invalid_utf8',
      values: { file: 'intents.csv', offset: 25 },
      message: expect.stringMatching(/not valid UTF-8 text \(invalid byte at offset 25\)/),
    });
  });
});
