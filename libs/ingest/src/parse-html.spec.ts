import { describe, expect, it } from 'vitest';
import { parseFile } from '@wendao/ingest';
import { RETURN_POLICY } from '../test/build-fixtures';

const html = `<!doctype html>
<html><head><title>售后帮助 - 示例商城</title><style>p { color: red }</style>
<script>window.track('退货');</script></head>
<body>
<nav><a href="/">首页</a> <a href="/help">帮助</a></nav>
<h1>售后帮助</h1>
<h2>退货政策</h2>
<p>我们的退货政策是签收后7天内可申请无理由退货，
请确保商品未使用且包装完整。</p>
<p>Refunds go back to the original payment method&nbsp;within 3&nbsp;days.</p>
<h2>常见问题</h2>
<dl>
  <dt>运费谁出？</dt><dd>质量问题由我们承担运费。</dd>
  <dt>SKU</dt><dd>Stock keeping unit, the code on the label.</dd>
</dl>
<details><summary>How do I change my address?</summary><p>Open the order and click <b>Change address</b>.</p></details>
<p><strong>Q:</strong> 可以开发票吗？<br><strong>A:</strong> 可以，在订单页申请。</p>
<h3>怎么联系客服？</h3>
<ul><li>电话：400-000-0000</li><li>在线客服：9:00-21:00</li></ul>
<table><thead><tr><th>问题</th><th>答案</th><th>相似问题</th></tr></thead>
<tbody><tr><td>周末发货吗？</td><td>周末正常发货。</td><td>周六发货吗|周日发货吗</td></tr></tbody></table>
</body></html>`;

describe('parseFile: HTML', () => {
  it('finds FAQs in dt/dd, details/summary, Q:/A: lines, question headings and FAQ tables', async () => {
    const result = await parseFile(Buffer.from(html), 'help.html');
    expect(result.type).toBe('html');
    expect(result.faqs.map((f) => [f.question, f.answer, f.alternates, f.tags])).toEqual([
      ['运费谁出？', '质量问题由我们承担运费。', [], ['常见问题']],
      ['How do I change my address?', 'Open the order and click Change address.', [], ['常见问题']],
      ['可以开发票吗？', '可以，在订单页申请。', [], ['常见问题']],
      ['怎么联系客服？', '电话：400-000-0000\n在线客服：9:00-21:00', [], ['常见问题']],
      ['周末发货吗？', '周末正常发货。', ['周六发货吗', '周日发货吗'], ['常见问题']],
    ]);
  });

  it('keeps prose as text without scripts, styles or navigation, joining CJK lines without a space', async () => {
    const { document } = await parseFile(Buffer.from(html), 'help.html');
    expect(document!.title).toBe('售后帮助 - 示例商城');
    expect(document!.text).toBe(
      `售后帮助\n\n退货政策\n${RETURN_POLICY}\n\nRefunds go back to the original payment method within 3 days.\n\n` +
        '常见问题\nSKU\nStock keeping unit, the code on the label.',
    );
    for (const noise of ['track', 'color', '首页']) expect(document!.text).not.toContain(noise);
  });
});
