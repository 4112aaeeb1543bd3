/**
 * Uploading documents into a knowledge base against real PostgreSQL (lexical mode, in-process
 * queue): every supported format, duplicate detection, corrupt files, 413/415, atomic publish,
 * document delete and KB export/import.
 */
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobEvents, type JobView } from '../src/documents/job-events';
import { docxDocument, pdfDocument, RETURN_POLICY, xlsxFaqs } from './support/fixtures';
import { createKb, startTestApp, uploadAndWait, waitForJob, type TestApp } from './support/test-app';

describe('document ingestion (lexical mode, in-process queue)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ uploadMaxBytes: 256 * 1024 });
  });
  afterAll(async () => t?.close());

  const ask = async (kbId: string, question: string) =>
    (await t.api.post(`/api/kbs/${kbId}/ask`).send({ question }).expect(200)).body;
  const kbState = async (kbId: string) => {
    const kb = (await t.api.get(`/api/kbs/${kbId}`).expect(200)).body;
    return { version: kb.version, counts: kb.counts };
  };

  it('ingests TXT prose into passages and answers from them with offsets', async () => {
    const kb = await createKb(t.api);
    const [job] = await uploadAndWait(t.api, kb, [
      { name: '退货政策.txt', content: `退货政策\n\n${RETURN_POLICY}\n`, type: 'text/plain' },
    ]);
    expect(job).toMatchObject({
      status: 'succeeded',
      file: '退货政策.txt',
      counts: { faqs: 0, passages: 1 },
      kbVersion: 2,
    });
    expect(job.progress).toMatchObject({ chunked: 1, indexed: 1, total: 1 });

    const answer = await ask(kb, '退货期限是多久？');
    expect(answer).toMatchObject({ answer: '7天内', type: 'extracted', mode: 'lexical', kbVersion: 2 });
    expect(answer.source.kind).toBe('passage');
    expect(answer.source.fileName).toBe('退货政策.txt');
    expect(answer.source.text.slice(answer.source.start, answer.source.end)).toBe('7天内');

    const docs = (await t.api.get(`/api/kbs/${kb}/documents`).expect(200)).body;
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ fileName: '退货政策.txt', type: 'txt', passageCount: 1 });
    const passages = (await t.api.get(`/api/kbs/${kb}/documents/${docs[0].id}/passages`).expect(200)).body;
    expect(passages[0].text).toContain(RETURN_POLICY);
    expect(passages[0].end - passages[0].start).toBe(passages[0].text.length);
  });

  it('ingests CSV, XLSX and JSON FAQ files as FAQ entries with alternates', async () => {
    const kb = await createKb(t.api);
    const csv =
      'question,answer,alternates\n如何取消订单？,未发货的订单可以直接取消。,怎么取消订单|不想要了\n';
    const xlsx = await xlsxFaqs([['支持哪些支付方式？', '支持支付宝和微信支付。', '怎么付款']]);
    const json = JSON.stringify([
      { question: '保修多久？', answer: '电子产品保修一年。', alternates: ['有保修吗'] },
    ]);
    const jobs = await uploadAndWait(t.api, kb, [
      { name: 'orders.csv', content: csv, type: 'text/csv' },
      { name: 'payments.xlsx', content: xlsx },
      { name: 'warranty.json', content: json, type: 'application/json' },
    ]);
    expect(jobs.map((j) => [j.file, j.status, j.counts.faqs])).toEqual([
      ['orders.csv', 'succeeded', 1],
      ['payments.xlsx', 'succeeded', 1],
      ['warranty.json', 'succeeded', 1],
    ]);
    const faqs = (await t.api.get(`/api/kbs/${kb}/faqs`).expect(200)).body;
    expect(faqs.find((f: { question: string }) => f.question === '如何取消订单？').alternates).toEqual([
      '怎么取消订单',
      '不想要了',
    ]);
    expect((await ask(kb, '不想要了')).answer).toBe('未发货的订单可以直接取消。');
    expect((await ask(kb, '怎么付款')).answer).toBe('支持支付宝和微信支付。');
    expect((await ask(kb, '有保修吗')).answer).toBe('电子产品保修一年。');
    expect((await t.api.get(`/api/kbs/${kb}`).expect(200)).body.version).toBe(4);
  });

  it('ingests Markdown, HTML, DOCX and PDF documents', async () => {
    const kb = await createKb(t.api, 'docs', 'mixed');
    const markdown = `# 配送说明\n\n现货商品在付款后48小时内发货。订单满99元包邮。\n\n## 常见问题\n\n**Q: 可以指定送货时间吗？**\n\nA: 可以在下单时备注希望的送货时间。\n`;
    const html = `<!doctype html><html><body><h1>发票</h1><p>电子发票在确认收货后24小时内发送到您的邮箱。</p><script>var x = 1;</script></body></html>`;
    const docx = await docxDocument('保修说明', ['电子产品享受一年免费保修，保修期从签收之日起计算。']);
    const pdf = await pdfDocument(['Payment policy', 'Please pay within 30 minutes of placing an order.']);
    const jobs = await uploadAndWait(t.api, kb, [
      { name: 'shipping.md', content: markdown, type: 'text/markdown' },
      { name: 'invoice.html', content: html, type: 'text/html' },
      { name: 'warranty.docx', content: docx },
      { name: 'payment.pdf', content: pdf, type: 'application/pdf' },
    ]);
    expect(jobs.map((j) => `${j.file}:${j.status}`)).toEqual([
      'shipping.md:succeeded',
      'invoice.html:succeeded',
      'warranty.docx:succeeded',
      'payment.pdf:succeeded',
    ]);
    expect(jobs[0].counts.faqs).toBe(1);
    expect((await ask(kb, '可以指定送货时间吗？')).answer).toBe('可以在下单时备注希望的送货时间。');

    const shipping = await ask(kb, '付款后多久发货？');
    expect(shipping).toMatchObject({ type: 'extracted', answer: '48小时内' });
    expect(shipping.source.fileName).toBe('shipping.md');
    const invoice = await ask(kb, '电子发票多久发送？');
    expect(invoice).toMatchObject({ type: 'extracted', answer: '24小时内' });
    expect(invoice.source.fileName).toBe('invoice.html');
    expect(invoice.source.text).not.toContain('var x');
    const warranty = await ask(kb, '电子产品保修期多长？');
    expect(warranty.type).toBe('extracted');
    expect(warranty.source.fileName).toBe('warranty.docx');
    expect(warranty.source.text).toContain('电子产品享受一年免费保修');
    expect(warranty.source.text.slice(warranty.source.start, warranty.source.end)).toBe(warranty.answer);
    const payment = await ask(kb, 'How many minutes do I have to pay for an order?');
    expect(payment.type).toBe('extracted');
    expect(payment.answer).toMatch(/^30( minutes)?$/);
    expect(payment.source.text).toContain('within 30 minutes');
    expect(payment.source.fileName).toBe('payment.pdf');
  });

  it('detects a duplicate upload by content and does not ingest it twice', async () => {
    const kb = await createKb(t.api);
    const content = `${RETURN_POLICY}\n`;
    const [first] = await uploadAndWait(t.api, kb, [{ name: 'a.txt', content, type: 'text/plain' }]);
    const before = await kbState(kb);
    const [second] = await uploadAndWait(t.api, kb, [{ name: 'copy-of-a.txt', content, type: 'text/plain' }]);
    expect(second).toMatchObject({ status: 'succeeded', duplicate: true, documentId: first.documentId });
    expect(second.warnings.join(' ')).toMatch(
      /^copy-of-a\.txt is identical to document a\.txt already in this knowledge base/,
    );
    // Re-uploading to bring back an entry deleted from the file does nothing: the warning says how.
    expect(second.warnings.join(' ')).toMatch(
      /To restore an entry deleted from it, add the entry by hand in the FAQ list, or delete the existing document first/,
    );
    expect(await kbState(kb)).toEqual(before);
    // Both at once: the unique (kb, sha256) constraint decides inside the transaction.
    const kb2 = await createKb(t.api);
    const both = await uploadAndWait(t.api, kb2, [
      { name: 'x.txt', content, type: 'text/plain' },
      { name: 'y.txt', content, type: 'text/plain' },
    ]);
    expect(both.map((j) => j.duplicate).sort()).toEqual([false, true]);
    expect((await t.api.get(`/api/kbs/${kb2}/documents`).expect(200)).body).toHaveLength(1);
  });

  it('skips an uploaded entry whose question an enabled entry already asks, so an edited export imported again does not hide its edits behind the old entries', async () => {
    const kb = await createKb(t.api, 'shop', 'en');
    await uploadAndWait(t.api, kb, [
      {
        name: 'faq.csv',
        content:
          'question,answer\nWhat payment methods do you accept?,Visa and PayPal.\nDo you ship abroad?,No.\n',
        type: 'text/csv',
      },
    ]);
    const exported = (await t.api.get(`/api/kbs/${kb}/faqs/export?format=csv`).expect(200)).text;
    // The admin's spreadsheet (saved with Excel's CRLF, as exported): one answer edited, one question added.
    const edited = `${exported.replace('Visa and PayPal.', 'Visa, PayPal and Apple Pay.')}Can I pick up in store?,Yes.,,,true\r\n`;
    const [job] = await uploadAndWait(t.api, kb, [
      { name: 'faq-edited.csv', content: edited, type: 'text/csv' },
    ]);
    expect(job).toMatchObject({ status: 'succeeded', counts: { faqs: 1, passages: 0 } });
    expect(job.warningCodes).toEqual([
      // The document the KB's entry came from, named: the admin knows which file holds what answers.
      {
        code: 'question_in_kb',
        values: { question: 'What payment methods do you accept?', document: 'faq.csv' },
      },
      { code: 'question_in_kb', values: { question: 'Do you ship abroad?', document: 'faq.csv' } },
    ]);
    expect(job.warnings[0]).toBe(
      'Question "What payment methods do you accept?" is already in document faq.csv, skipped: edit that entry in the FAQ list.',
    );
    const entries = (await t.api.get(`/api/kbs/${kb}/faqs`).expect(200)).body as { question: string }[];
    expect(entries.map((e) => e.question)).toEqual([
      'What payment methods do you accept?',
      'Do you ship abroad?',
      'Can I pick up in store?',
    ]);
    // In any case and without its question mark it is the same question; a disabled entry does not count.
    const faq = entries.find((e) => e.question === 'Do you ship abroad?') as unknown as { id: string };
    await t.api.patch(`/api/kbs/${kb}/faqs/${faq.id}`).send({ enabled: false }).expect(200);
    const before = await kbState(kb);
    const [refused] = await uploadAndWait(t.api, kb, [
      {
        name: 'again.csv',
        content: 'question,answer\nwhat payment methods do you accept,Cash.\n',
        type: 'text/csv',
      },
    ]);
    expect(refused).toMatchObject({
      status: 'failed',
      errorCode: 'faqs_already_in_kb',
      errorValues: { file: 'again.csv', count: 1, documents: ['faq.csv'] },
    });
    expect(refused.error).toMatch(
      /^again\.csv: every question in it \(1\) is already in the knowledge base, from faq\.csv; nothing was added/,
    );
    expect(await kbState(kb)).toEqual(before);
    const [reenabled] = await uploadAndWait(t.api, kb, [
      {
        name: 'abroad.csv',
        content: 'question,answer\ndo you ship ABROAD,"Yes, to 30 countries."\n',
        type: 'text/csv',
      },
    ]);
    expect(reenabled).toMatchObject({ status: 'succeeded', counts: { faqs: 1 }, warningCodes: [] });
    expect((await ask(kb, 'Do you ship abroad?')).answer).toBe('Yes, to 30 countries.');
  });

  it('keeps an entry disabled through an export and an upload of it (CSV and XLSX, and a JSON list), so a switched-off answer does not go live', async () => {
    const kb = await createKb(t.api, 'shop, disabled entries', 'en');
    await uploadAndWait(t.api, kb, [
      {
        name: 'faq.csv',
        content:
          'question,answer\nIs the summer sale on?,Yes: half price on everything.\nDo you ship abroad?,No.\n',
        type: 'text/csv',
      },
    ]);
    const entries = (await t.api.get(`/api/kbs/${kb}/faqs`).expect(200)).body as {
      id: string;
      question: string;
    }[];
    const sale = entries.find((e) => e.question === 'Is the summer sale on?')!;
    await t.api.patch(`/api/kbs/${kb}/faqs/${sale.id}`).send({ enabled: false }).expect(200);
    const csv = (await t.api.get(`/api/kbs/${kb}/faqs/export?format=csv`).expect(200)).text;
    const xlsx = (
      await t.api
        .get(`/api/kbs/${kb}/faqs/export?format=xlsx`)
        .buffer(true)
        .parse((res, done) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => done(null, Buffer.concat(parts)));
        })
        .expect(200)
    ).body as Buffer;
    for (const file of [
      { name: 'faq-export.csv', content: csv, type: 'text/csv' },
      {
        name: 'faq-export.xlsx',
        content: xlsx,
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      {
        // The same entries as a JSON FAQ list, its enabled read as the table's column is.
        name: 'faq.json',
        content: JSON.stringify([
          { question: 'Is the summer sale on?', answer: 'Yes: half price on everything.', enabled: false },
          { question: 'Do you ship abroad?', answer: 'No.', enabled: true },
        ]),
        type: 'application/json',
      },
    ]) {
      const other = await createKb(t.api, `copy from ${file.name}`, 'en');
      const [job] = await uploadAndWait(t.api, other, [file]);
      expect(job).toMatchObject({ status: 'succeeded', counts: { faqs: 2 }, warningCodes: [] });
      const copied = (await t.api.get(`/api/kbs/${other}/faqs`).expect(200)).body as {
        question: string;
        enabled: boolean;
      }[];
      expect(copied.map((e) => [e.question, e.enabled])).toEqual([
        ['Is the summer sale on?', false],
        ['Do you ship abroad?', true],
      ]);
      expect((await ask(other, 'Is the summer sale on?')).answer).not.toBe('Yes: half price on everything.');
      expect((await ask(other, 'Do you ship abroad?')).answer).toBe('No.');
    }
    // A value that says neither leaves its row out, with the row and the value in the warning.
    const [job] = await uploadAndWait(t.api, kb, [
      {
        name: 'more.csv',
        content: 'question,answer,enabled\nGift wrap?,Free.,否\nCoupons?,Stack two.,maybe\n',
        type: 'text/csv',
      },
    ]);
    expect(job).toMatchObject({ status: 'succeeded', counts: { faqs: 1 } });
    expect(job.warningCodes).toEqual([
      { code: 'row_skipped', values: { row: 3, problem: 'invalid_enabled', value: 'maybe' } },
    ]);
    expect(job.warnings).toEqual(['Row 3: enabled is neither true nor false ("maybe"), skipped.']);
  });

  it('fails a corrupt file with a readable reason and leaves the KB exactly as it was', async () => {
    const kb = await createKb(t.api);
    await uploadAndWait(t.api, kb, [
      { name: 'policy.txt', content: `${RETURN_POLICY}\n`, type: 'text/plain' },
    ]);
    const before = await kbState(kb);
    const xlsx = await xlsxFaqs([['问题一', '答案一', '']]);
    const truncated = xlsx.subarray(0, Math.floor(xlsx.length / 2));
    const [broken, badJson] = await uploadAndWait(t.api, kb, [
      { name: 'broken.xlsx', content: truncated },
      { name: 'bad.json', content: '[{"question": "少了答案"', type: 'application/json' },
    ]);
    expect(broken.status).toBe('failed');
    expect(broken.error).toMatch(/broken\.xlsx/);
    expect(badJson.status).toBe('failed');
    expect(badJson.error).toMatch(/bad\.json is not valid JSON/);
    // The same reason as data, for a client to word in its language.
    expect(broken).toMatchObject({
      errorCode: 'unreadable_file',
      errorValues: { file: 'broken.xlsx', format: 'xlsx', detail: expect.any(String) },
    });
    expect(badJson).toMatchObject({
      errorCode: 'unreadable_file',
      errorValues: { file: 'bad.json', format: 'json', detail: expect.any(String) },
    });
    expect(await kbState(kb)).toEqual(before);
    expect((await ask(kb, '退货期限是多久？')).answer).toBe('7天内');
  });

  it('refuses unsupported or mismatched file types with 415 and stores nothing', async () => {
    const kb = await createKb(t.api);
    const before = await kbState(kb);
    const exe = await t.api
      .post(`/api/kbs/${kb}/documents`)
      .attach('files', Buffer.from('MZ binary'), 'setup.exe')
      .expect(415);
    expect(exe.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
    expect(exe.body.message).toMatch(/setup\.exe/);
    // The refusal as data too: the code and what it names (the file, its type, the supported ones).
    expect(exe.body).toMatchObject({
      code: 'unsupported_type',
      values: { file: 'setup.exe', extension: '.exe', supported: expect.arrayContaining(['CSV', 'PDF']) },
    });
    const fakePdf = await t.api
      .post(`/api/kbs/${kb}/documents`)
      .attach('files', Buffer.from('just text'), 'report.pdf')
      .expect(415);
    expect(fakePdf.body.message).toMatch(/not a PDF/);
    expect(fakePdf.body).toMatchObject({
      code: 'type_mismatch',
      values: { file: 'report.pdf', named: 'pdf', found: null },
    });
    // One bad file refuses the whole request: the good one is not queued either.
    await t.api
      .post(`/api/kbs/${kb}/documents`)
      .attach('files', Buffer.from(`${RETURN_POLICY}\n`), 'ok.txt')
      .attach('files', Buffer.from('old'), 'legacy.xls')
      .expect(415);
    expect(await kbState(kb)).toEqual(before);
    expect((await t.api.get(`/api/kbs/${kb}/documents`).expect(200)).body).toEqual([]);
  });

  it('refuses a file over the size limit with 413, and a request without files with 400', async () => {
    const kb = await createKb(t.api);
    const big = await t.api
      .post(`/api/kbs/${kb}/documents`)
      .attach('files', Buffer.alloc(300 * 1024, 'a'), 'big.txt')
      .expect(413);
    expect(big.body).toMatchObject({
      statusCode: 413,
      error: 'Payload Too Large',
      code: 'file_too_large',
      values: { limitBytes: 256 * 1024 },
    });
    const none = await t.api.post(`/api/kbs/${kb}/documents`).field('note', 'x').expect(400);
    expect(none.body.message).toMatch(/no files uploaded/);
    const empty = await t.api
      .post(`/api/kbs/${kb}/documents`)
      .attach('files', Buffer.alloc(0), 'empty.csv')
      .expect(400);
    expect(empty.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'empty.csv is empty',
      code: 'empty_file',
      values: { file: 'empty.csv' },
    });
    expect((await t.api.get(`/api/kbs/${kb}`).expect(200)).body.version).toBe(1);
    await t.api
      .post('/api/kbs/00000000-0000-0000-0000-000000000000/documents')
      .attach('files', Buffer.from('x'), 'a.txt')
      .expect(404);
    await t.api.get('/api/jobs/00000000-0000-0000-0000-000000000000').expect(404);
  });

  it('publishes a document atomically: questions during ingestion see the previous version', async () => {
    const kb = await createKb(t.api);
    await t.api
      .post(`/api/kbs/${kb}/faqs`)
      .send({ question: '营业时间？', answer: '每天9点到21点。' })
      .expect(201);
    const before = await kbState(kb);
    const filler = Array.from(
      { length: 400 },
      (_, i) => `第${i}条说明：会员积分可以在下单时抵扣现金，每一百积分抵一元。`,
    ).join('\n');
    const document = `${filler}\n${RETURN_POLICY}\n`;
    let finalPassages = 0;
    const events = t.wendao.app.get(JobEvents);
    const during: Promise<{ answer: Record<string, unknown>; state: Awaited<ReturnType<typeof kbState>> }>[] =
      [];
    const listener = (job: JobView) => {
      if (job.kbId === kb && job.status === 'running' && during.length < 5)
        during.push(
          (async () => ({ answer: await ask(kb, '退货期限是多久？'), state: await kbState(kb) }))(),
        );
    };
    events.on('job', listener);
    try {
      const [job] = await uploadAndWait(t.api, kb, [
        { name: 'long.txt', content: document, type: 'text/plain' },
      ]);
      expect(job.status).toBe('succeeded');
      expect(job.counts.passages).toBeGreaterThan(10);
      finalPassages = job.counts.passages;
    } finally {
      events.off('job', listener);
    }
    const seen = await Promise.all(during);
    expect(seen.length).toBeGreaterThan(0);
    for (const { answer } of seen) {
      // Either the old version (no passages yet) or the whole new one, never something between.
      if (answer.kbVersion === before.version) expect(answer.type).toBe('fallback');
      else expect(answer).toMatchObject({ kbVersion: before.version + 1, answer: '7天内' });
    }
    for (const { state } of seen) {
      if (state.version === before.version) expect(state.counts).toEqual(before.counts);
      else expect(state.counts.passages).toBe(finalPassages);
    }
    const after = await ask(kb, '退货期限是多久？');
    expect(after).toMatchObject({ answer: '7天内', kbVersion: before.version + 1 });
  });

  it('deletes a document with its passages and FAQ entries, answerable at once', async () => {
    const kb = await createKb(t.api);
    const md = `# 退货\n\n${RETURN_POLICY}\n\n**Q: 可以开发票吗？**\n\nA: 可以，在订单详情中申请。\n`;
    const [job] = await uploadAndWait(t.api, kb, [{ name: 'policy.md', content: md, type: 'text/markdown' }]);
    expect((await ask(kb, '退货期限是多久？')).answer).toBe('7天内');
    expect((await ask(kb, '可以开发票吗？')).type).toBe('faq');
    await t.api.delete(`/api/kbs/${kb}/documents/${job.documentId}`).expect(204);
    expect((await ask(kb, '退货期限是多久？')).type).toBe('fallback');
    expect((await ask(kb, '可以开发票吗？')).type).toBe('fallback');
    expect((await kbState(kb)).counts).toEqual({ faqs: 0, documents: 0, passages: 0 });
    await t.api.get(`/api/kbs/${kb}/documents/${job.documentId}/passages`).expect(404);
    await t.api.delete(`/api/kbs/${kb}/documents/${job.documentId}`).expect(404);
  });

  it("counts a document's FAQ entries as the KB holds them now, not as the upload brought them", async () => {
    const kb = await createKb(t.api);
    const csv =
      'question,answer\n如何取消订单？,未发货的订单可以直接取消。\n支持哪些支付方式？,支持支付宝和微信支付。\n保修多久？,电子产品保修一年。\n';
    const [job] = await uploadAndWait(t.api, kb, [{ name: 'faq.csv', content: csv, type: 'text/csv' }]);
    expect(job.counts.faqs).toBe(3);
    const faqs = (await t.api.get(`/api/kbs/${kb}/faqs`).expect(200)).body as {
      id: string;
      question: string;
    }[];
    await t.api
      .delete(`/api/kbs/${kb}/faqs/${faqs.find((f) => f.question === '保修多久？')!.id}`)
      .expect(204);
    const docs = (await t.api.get(`/api/kbs/${kb}/documents`).expect(200)).body;
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ fileName: 'faq.csv', faqCount: 2 });
  });

  it('exports a KB to JSON and imports it back exactly, beside the original under a free name', async () => {
    const kb = await createKb(t.api, '导出测试', 'mixed');
    await t.api
      .patch(`/api/kbs/${kb}`)
      .send({ faqThreshold: 0.7, settings: { fallbackMessage: '请联系人工' } })
      .expect(200);
    await uploadAndWait(t.api, kb, [
      {
        name: 'policy.md',
        content: `# 退货\n\n${RETURN_POLICY}\n\n**Q: 能开发票吗？**\n\nA: 能。\n`,
        type: 'text/markdown',
      },
      { name: 'faqs.csv', content: 'question,answer,tags\n怎么付款？,支持支付宝。,支付\n', type: 'text/csv' },
    ]);
    await t.api
      .post(`/api/kbs/${kb}/faqs`)
      .send({
        question: '有实体店吗？',
        alternates: ['门店地址'],
        answer: '暂时没有。',
        tags: ['门店'],
        enabled: false,
      })
      .expect(201);
    const exported = (await t.api.get(`/api/kbs/${kb}/export`).expect(200)).body;
    expect(exported).toMatchObject({ format: 'wendao-kb', formatVersion: 1 });
    expect(exported.faqs).toHaveLength(3);
    expect(exported.documents).toHaveLength(2);

    const imported = (await t.api.post('/api/kbs/import').send(exported).expect(201)).body;
    expect(imported.id).not.toBe(kb);
    // Imported next to its original, the KB gets the first free name; all else comes back as it was.
    expect(imported.name).toBe('导出测试 (2)');
    expect(imported.counts).toEqual({
      faqs: 3,
      documents: 2,
      passages: exported.documents[0].passages.length,
    });
    const again = (await t.api.get(`/api/kbs/${imported.id}/export`).expect(200)).body;
    expect(again).toEqual({
      ...exported,
      knowledgeBase: { ...exported.knowledgeBase, name: '导出测试 (2)' },
    });
    expect((await ask(imported.id, '退货期限是多久？')).answer).toBe('7天内');
    expect((await ask(imported.id, '怎么付款？')).type).toBe('faq');
    expect((await ask(imported.id, '有实体店吗？')).type).toBe('fallback');

    const kbCount = (await t.api.get('/api/kbs').expect(200)).body.length;
    const broken = { ...exported, faqs: [{ ...exported.faqs[0], document: 'f'.repeat(64) }] };
    const bad = await t.api.post('/api/kbs/import').send(broken).expect(400);
    expect(bad.body.message).toMatch(/not in the file/);
    await t.api.post('/api/kbs/import').send({ format: 'other' }).expect(400);
    expect((await t.api.get('/api/kbs').expect(200)).body.length).toBe(kbCount);
  });

  it('gives an imported KB whose name the organisation already has the first free "name (n)", in any case', async () => {
    const kb = await createKb(t.api, 'Import twice', 'en');
    const exported = (await t.api.get(`/api/kbs/${kb}/export`).expect(200)).body;
    await t.api.delete(`/api/kbs/${kb}`).expect(204);

    const first = (await t.api.post('/api/kbs/import').send(exported).expect(201)).body;
    const second = (await t.api.post('/api/kbs/import').send(exported).expect(201)).body;
    expect([first.name, second.name]).toEqual(['Import twice', 'Import twice (2)']);
    const lower = { ...exported, knowledgeBase: { ...exported.knowledgeBase, name: 'IMPORT TWICE' } };
    const third = (await t.api.post('/api/kbs/import').send(lower).expect(201)).body;
    expect(third.name).toBe('IMPORT TWICE (3)');
    await t.api.delete(`/api/kbs/${first.id}`).expect(204);
    const fourth = (await t.api.post('/api/kbs/import').send(exported).expect(201)).body;
    expect(fourth.name).toBe('Import twice');
    const exportedAgain = (await t.api.get(`/api/kbs/${second.id}/export`).expect(200)).body;
    expect(exportedAgain.knowledgeBase.name).toBe('Import twice (2)');
  });

  it('reports job progress for a queued upload over REST', async () => {
    const kb = await createKb(t.api);
    const res = await t.api
      .post(`/api/kbs/${kb}/documents`)
      .attach('files', Buffer.from(`${RETURN_POLICY}\n`), { filename: 'p.txt', contentType: 'text/plain' })
      .expect(202);
    expect(res.body.jobs).toEqual([{ id: expect.any(String), file: 'p.txt', status: 'queued' }]);
    const job = await waitForJob(t.api, res.body.jobs[0].id);
    expect(job.progress).toEqual({ parsed: 1, chunked: 1, embedded: 0, indexed: 1, total: 1 });
  });

  it('streams job progress as server-sent events until the job ends', async () => {
    const kb = await createKb(t.api);
    const filler = Array.from({ length: 300 }, (_, i) => `第${i}条：积分可以抵扣现金。`).join('\n');
    const res = await t.api
      .post(`/api/kbs/${kb}/documents`)
      .attach('files', Buffer.from(`${filler}\n${RETURN_POLICY}\n`), {
        filename: 'p.txt',
        contentType: 'text/plain',
      })
      .expect(202);
    const stream = await t.api
      .get(`/api/jobs/${res.body.jobs[0].id}/events`)
      .set('Accept-Encoding', 'gzip, deflate, br')
      .expect(200);
    expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
    // Never compressed, though the client accepts it: a compressed stream would hold events back.
    expect(stream.headers['content-encoding']).toBeUndefined();
    const events = stream.text
      .split('\n\n')
      .filter((block) => block.includes('data:'))
      .map((block) =>
        JSON.parse(
          block
            .split('\n')
            .find((l) => l.startsWith('data:'))!
            .slice(5),
        ),
      );
    expect(events.length).toBeGreaterThan(0);
    const last = events[events.length - 1];
    expect(last).toMatchObject({ status: 'succeeded', file: 'p.txt' });
    expect(last.progress.indexed).toBe(last.progress.total);
    expect(events.slice(0, -1).every((e) => e.status === 'queued' || e.status === 'running')).toBe(true);

    const missing = await t.api.get('/api/jobs/00000000-0000-0000-0000-000000000000/events').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('gives a failed job its reason as a code and values in the job, the job list and the events', async () => {
    const kb = await createKb(t.api);
    const res = await t.api
      .post(`/api/kbs/${kb}/documents`)
      .attach('files', Buffer.from('a,b,c\n1,2,3\n'), { filename: 'noheader.csv', contentType: 'text/csv' })
      .expect(202);
    const jobId = res.body.jobs[0].id as string;
    const failure = {
      status: 'failed',
      error: expect.stringMatching(/^noheader\.csv has no FAQ header row\..*found: a, b, c\.$/),
      errorCode: 'no_faq_header',
      errorValues: { file: 'noheader.csv', found: ['a', 'b', 'c'] },
    };
    const stream = await t.api.get(`/api/jobs/${jobId}/events`).expect(200);
    const last = stream.text
      .split('\n\n')
      .filter((block) => block.includes('data:'))
      .map((block) => JSON.parse(block.slice(block.indexOf('data:') + 5).split('\n')[0]))
      .at(-1);
    expect(last).toMatchObject(failure);
    expect(await waitForJob(t.api, jobId)).toMatchObject(failure);
    const listed = (await t.api.get(`/api/kbs/${kb}/jobs?status=failed`).expect(200)).body;
    expect(listed).toEqual([expect.objectContaining(failure)]);
    // A succeeded job has no error and no code.
    const [ok] = await uploadAndWait(t.api, kb, [
      { name: 'ok.txt', content: `${RETURN_POLICY}\n`, type: 'text/plain' },
    ]);
    expect(ok.status).toBe('succeeded');
    expect(ok).not.toHaveProperty('errorCode');
    expect(ok).not.toHaveProperty('error');
  });

  it("gives a job's warnings as codes and values beside their English, in the job, the job list and the events; an old job keeps its English only", async () => {
    const kb = await createKb(t.api);
    // GBK bytes (Excel on Chinese Windows), a row without an answer, a question asked twice.
    const csv = Buffer.from('问题,答案\n退货期限是多久？,7天\n运费谁出？,\n退货期限是多久？,七天\n');
    // 问题,答案 / 发货要多久？,付款后48小时内发货 (a question of its own: one the KB has would be skipped).
    const gbk = Buffer.from(
      'cecacce22cb4f0b0b80ab7a2bbf5d2aab6e0bec3a3bf2cb8b6bfeebaf33438d0a1cab1c4dab7a2bbf50a',
      'hex',
    );
    const res = await t.api
      .post(`/api/kbs/${kb}/documents`)
      .attach('files', csv, { filename: 'faq.csv', contentType: 'text/csv' })
      .attach('files', gbk, { filename: 'gbk.csv', contentType: 'text/csv' })
      .expect(202);
    const [csvJob, gbkJob] = res.body.jobs.map((j: JobView) => j.id) as string[];
    const warned = {
      status: 'succeeded',
      warnings: [
        'Row 3: empty answer, skipped.',
        'Row 4: question "退货期限是多久？" repeats Row 2, skipped.',
      ],
      warningCodes: [
        { code: 'row_skipped', values: { row: 3, problem: 'empty_answer' } },
        { code: 'duplicate_question', values: { row: 4, question: '退货期限是多久？', firstRow: 2 } },
      ],
    };
    const stream = await t.api.get(`/api/jobs/${csvJob}/events`).expect(200);
    const last = stream.text
      .split('\n\n')
      .filter((block) => block.includes('data:'))
      .map((block) => JSON.parse(block.slice(block.indexOf('data:') + 5).split('\n')[0]))
      .at(-1);
    expect(last).toMatchObject(warned);
    // The repeated question is skipped: one entry, the first row's.
    expect(await waitForJob(t.api, csvJob)).toMatchObject({ ...warned, counts: { faqs: 1 } });
    expect(await waitForJob(t.api, gbkJob)).toMatchObject({
      status: 'succeeded',
      warnings: [
        'gbk.csv is not UTF-8; it was read as GBK/GB18030 Chinese text. Save it as UTF-8 to be sure.',
      ],
      warningCodes: [{ code: 'read_as_gbk', values: { file: 'gbk.csv' } }],
    });
    const listed = (await t.api.get(`/api/kbs/${kb}/jobs`).expect(200)).body as JobView[];
    expect(listed.find((j) => j.id === csvJob)).toMatchObject(warned);

    // The same file again: not read again, and the duplicate says so in English and as data.
    const [again] = await uploadAndWait(t.api, kb, [
      { name: 'faq-again.csv', content: csv, type: 'text/csv' },
    ]);
    expect(again).toMatchObject({
      duplicate: true,
      warnings: [
        'faq-again.csv is identical to document faq.csv already in this knowledge base; nothing was added. To restore an entry deleted from it, add the entry by hand in the FAQ list, or delete the existing document first (its other entries go with it) and upload again',
      ],
      warningCodes: [{ code: 'duplicate_document', values: { file: 'faq-again.csv', document: 'faq.csv' } }],
    });

    // A job stored before codes were (warning_codes NULL) keeps its English warnings and has no codes.
    await t.wendao.app
      .get(DataSource)
      .query('UPDATE ingestion_job SET warning_codes = NULL WHERE id = $1', [csvJob]);
    const old = (await t.api.get(`/api/jobs/${csvJob}`).expect(200)).body;
    expect(old.warnings).toEqual(warned.warnings);
    expect(old).not.toHaveProperty('warningCodes');
  });
});
