/**
 * The REST surface the admin console adds, against the real server and PostgreSQL: paged and
 * searched lists (X-Total-Count), chat transcripts filtered by outcome and feedback, the
 * unanswered inbox grouped from real chat fallbacks and thumbs-down votes (a group turned into an
 * FAQ entry leaves the inbox and gets answered), and the console's static files at /admin.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config';
import { connectChat, listen, type ChatClient } from './support/chat-client';
import { startTestApp, uploadAndWait, type TestApp } from './support/test-app';

describe('admin console API', () => {
  let t: TestApp;
  let url: string;
  let kbId: string;
  let adminDir: string;
  const clients: ChatClient[] = [];

  /** One customer session: asks each question, waits for each reply; returns the replies. */
  const chat = async (key: string, questions: string[]) => {
    const client = await connectChat(url, { key });
    clients.push(client);
    await client.send('session:start', {});
    const replies = [];
    for (const [i, text] of questions.entries()) {
      const from = client.events.length;
      const ack = await client.send('message', { clientId: `c-${i}-${Math.random()}`, text });
      replies.push(await client.waitFor('bot:message', (m) => m.seq === ack.seq + 1, from));
    }
    return { client, replies };
  };

  beforeAll(async () => {
    adminDir = mkdtempSync(join(tmpdir(), 'wendao-admin-'));
    mkdirSync(join(adminDir, 'assets'));
    writeFileSync(join(adminDir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(adminDir, 'assets', 'index-abc.js'), 'console.log(1)');
    t = await startTestApp({
      adminDir,
      chat: loadConfig({ WENDAO_CHAT_HANDOFF_AFTER_FALLBACKS: '0', WENDAO_CHAT_IP_RATE_LIMIT: '0' }).chat,
    });
    url = await listen(t);
    kbId = (await t.api.post('/api/kbs').send({ name: '售后', language: 'zh' }).expect(201)).body.id;
    for (const [i, question] of ['退货期限是多久？', '运费怎么算？', '如何修改收货地址？'].entries())
      await t.api
        .post(`/api/kbs/${kbId}/faqs`)
        .send({ question, answer: `答案${i}`, alternates: i === 0 ? ['多久可以退货'] : [], enabled: i !== 2 })
        .expect(201);
  });

  afterAll(async () => {
    for (const c of clients) c.socket.close();
    await t?.close();
    rmSync(adminDir, { recursive: true, force: true });
  });

  it('pages and searches knowledge bases, FAQ entries, documents and passages, with the total in X-Total-Count', async () => {
    await t.api.post('/api/kbs').send({ name: 'Returns 100%', language: 'en' }).expect(201);
    const kbs = await t.api.get('/api/kbs?limit=1&offset=1').expect(200);
    expect(kbs.headers['x-total-count']).toBe('2');
    expect(kbs.body.map((k: { name: string }) => k.name)).toEqual(['Returns 100%']);
    const named = await t.api.get('/api/kbs').query({ q: '售' }).expect(200);
    expect(named.body.map((k: { id: string }) => k.id)).toEqual([kbId]);
    expect((await t.api.get('/api/kbs').query({ q: '100%' }).expect(200)).headers['x-total-count']).toBe('1');
    await t.api.get('/api/kbs?limit=abc').expect(400);

    const page = await t.api.get(`/api/kbs/${kbId}/faqs?limit=2&offset=1`).expect(200);
    expect(page.headers['x-total-count']).toBe('3');
    expect(page.body.map((f: { question: string }) => f.question)).toEqual([
      '运费怎么算？',
      '如何修改收货地址？',
    ]);
    const byAlternate = await t.api.get(`/api/kbs/${kbId}/faqs`).query({ q: '多久可以' }).expect(200);
    expect(byAlternate.body.map((f: { question: string }) => f.question)).toEqual(['退货期限是多久？']);
    // A customer's question pasted with a half-width '?' (or in other widths and case) finds the entry
    // stored with '？', by its question or an alternate: it found nothing.
    for (const q of ['运费怎么算?', '运费怎么算 ?', '退货期限是多久?', '多久可以退货?']) {
      const found = await t.api.get(`/api/kbs/${kbId}/faqs`).query({ q }).expect(200);
      expect(found.body.length, q).toBe(1);
    }
    const disabled = await t.api.get(`/api/kbs/${kbId}/faqs?enabled=false`).expect(200);
    expect(disabled.body.map((f: { question: string }) => f.question)).toEqual(['如何修改收货地址？']);
    // % is a literal, not a wildcard.
    expect(
      (await t.api.get(`/api/kbs/${kbId}/faqs`).query({ q: '%' }).expect(200)).headers['x-total-count'],
    ).toBe('0');
    for (const bad of ['limit=0', 'limit=201', 'offset=-1', 'enabled=maybe', 'sort=name'])
      await t.api.get(`/api/kbs/${kbId}/faqs?${bad}`).expect(400);

    // Exported as XLSX, the entries upload back into another KB unchanged.
    const xlsx = await t.api
      .get(`/api/kbs/${kbId}/faqs/export?format=xlsx`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(xlsx.headers['content-disposition']).toBe('attachment; filename="faqs.xlsx"');
    const copy = (await t.api.post('/api/kbs').send({ name: 'copy', language: 'zh' }).expect(201)).body.id;
    const [job] = await uploadAndWait(t.api, copy, [{ name: 'faqs.xlsx', content: xlsx.body as Buffer }]);
    expect(job.status).toBe('succeeded');
    const shape = (f: { question: string; alternates: string[]; answer: string }) => [
      f.question,
      f.alternates,
      f.answer,
    ];
    const original = (await t.api.get(`/api/kbs/${kbId}/faqs?enabled=true`).expect(200)).body.map(shape);
    expect((await t.api.get(`/api/kbs/${copy}/faqs`).expect(200)).body.map(shape)).toEqual(
      expect.arrayContaining(original),
    );
    const csv = await t.api.get(`/api/kbs/${kbId}/faqs/export`).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.text.split('\r\n')[1]).toBe('退货期限是多久？,答案0,多久可以退货,,true');
    await t.api.get(`/api/kbs/${kbId}/faqs/export?format=pdf`).expect(400);
    await t.api.delete(`/api/kbs/${copy}`).expect(204);

    const text = Array.from(
      { length: 12 },
      (_, i) => `第${i + 1}条规定：这是一段足够长的政策说明文字，用来切成多个段落。`,
    ).join('\n\n');
    await uploadAndWait(t.api, kbId, [
      { name: 'policy-a.txt', content: text },
      { name: 'notes-b.txt', content: '备注：仅此一段。' },
    ]);
    // A file that cannot be read stays listed with its job, and the reason.
    await uploadAndWait(t.api, kbId, [{ name: 'bad.json', content: '{"question": ' }]);
    const failed = await t.api.get(`/api/kbs/${kbId}/jobs?status=failed`).expect(200);
    expect(failed.headers['x-total-count']).toBe('1');
    expect(failed.body[0]).toMatchObject({ file: 'bad.json', status: 'failed' });
    expect(failed.body[0].error).toMatch(/bad\.json/);
    const jobs = await t.api.get(`/api/kbs/${kbId}/jobs?limit=1`).expect(200);
    expect(jobs.headers['x-total-count']).toBe('3');
    expect(jobs.body.map((j: { file: string }) => j.file)).toEqual(['bad.json']);
    await t.api.get(`/api/kbs/${kbId}/jobs?status=done`).expect(400);

    const docs = await t.api.get(`/api/kbs/${kbId}/documents?q=POLICY`).expect(200);
    expect(docs.headers['x-total-count']).toBe('1');
    const docId = docs.body[0].id;
    const all = await t.api.get(`/api/kbs/${kbId}/documents/${docId}/passages`).expect(200);
    expect(all.body.length).toBeGreaterThanOrEqual(2);
    const second = await t.api
      .get(`/api/kbs/${kbId}/documents/${docId}/passages?limit=1&offset=1`)
      .expect(200);
    expect(second.headers['x-total-count']).toBe(String(all.body.length));
    expect(second.body).toEqual([all.body[1]]);
  });

  it('lists chat conversations filtered by outcome and feedback, and shows a transcript', async () => {
    const key = (await t.api.post(`/api/kbs/${kbId}/widget-keys`).send({}).expect(201)).body.key;
    const answered = await chat(key, ['退货期限是多久？']);
    expect(answered.replies[0].type).toBe('faq');
    expect(await answered.client.send('feedback', { seq: answered.replies[0].seq, vote: 'up' })).toEqual({
      ok: true,
    });
    const unanswered = await chat(key, ['可以开发票吗？', '能开发票吗', 'Do you ship to Canada?']);
    expect(unanswered.replies.map((r) => r.type)).toEqual(['fallback', 'fallback', 'fallback']);
    await chat(key, ['开发票吗？']);
    // A thumbs-down on an answer puts its question in the inbox too.
    const voted = await chat(key, ['运费怎么算？']);
    expect(await voted.client.send('feedback', { seq: voted.replies[0].seq, vote: 'down' })).toEqual({
      ok: true,
    });

    const list = await t.api.get(`/api/kbs/${kbId}/conversations`).expect(200);
    expect(list.headers['x-total-count']).toBe('4');
    const fallback = await t.api.get(`/api/kbs/${kbId}/conversations?outcome=fallback`).expect(200);
    expect(fallback.body.map((c: { firstQuestion: string }) => c.firstQuestion).sort()).toEqual([
      '可以开发票吗？',
      '开发票吗？',
    ]);
    expect(fallback.body.find((c: { fallbacks: number }) => c.fallbacks === 3)).toBeTruthy();
    const up = await t.api.get(`/api/kbs/${kbId}/conversations?feedback=up`).expect(200);
    expect(up.body).toHaveLength(1);
    expect(up.body[0]).toMatchObject({
      firstQuestion: '退货期限是多久？',
      answered: 1,
      feedback: { up: 1, down: 0 },
    });
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expect((await t.api.get(`/api/kbs/${kbId}/conversations?from=${tomorrow}`).expect(200)).body).toEqual([]);
    await t.api.get(`/api/kbs/${kbId}/conversations?outcome=maybe`).expect(400);
    await t.api.get(`/api/kbs/${kbId}/conversations?from=yesterday`).expect(400);

    const transcript = await t.api.get(`/api/kbs/${kbId}/conversations/${up.body[0].id}`).expect(200);
    const bot = transcript.body.messages.find(
      (m: { role: string; payload: { type?: string } | null }) => m.role === 'bot' && m.payload?.type,
    );
    expect(bot).toMatchObject({ text: '答案0', payload: { type: 'faq' }, feedback: { vote: 'up' } });
    // Why it answered, and the intent the analytics log gave the question (no classifier here: the
    // matched entry's question).
    expect(bot.payload.decision).toMatchObject({ code: expect.any(String), values: expect.any(Object) });
    expect(bot.intent).toEqual(expect.any(String));
    expect(bot.intent.length).toBeGreaterThan(0);
    const customer = transcript.body.messages.find((m: { role: string }) => m.role === 'customer');
    expect(customer.intent).toBeNull();
    const fallbackConversation = fallback.body.find((c: { fallbacks: number }) => c.fallbacks === 3);
    const unansweredTranscript = await t.api
      .get(`/api/kbs/${kbId}/conversations/${fallbackConversation.id}`)
      .expect(200);
    const fallbackReplies = unansweredTranscript.body.messages.filter(
      (m: { role: string; payload: { type?: string } | null }) => m.payload?.type === 'fallback',
    );
    expect(fallbackReplies).toHaveLength(3);
    for (const reply of fallbackReplies) expect(reply.intent).toBeNull();
    await t.api.get(`/api/kbs/${kbId}/conversations/00000000-0000-4000-8000-000000000000`).expect(404);
    await t.api.get(`/api/kbs/${kbId}/conversations/nope`).expect(404);
  });

  it('groups unanswered questions; a group turned into an FAQ entry leaves the inbox and is answered', async () => {
    const inbox = await t.api.get(`/api/kbs/${kbId}/unanswered`).expect(200);
    expect(inbox.headers['x-total-count']).toBe('3');
    const [invoice, ...rest] = inbox.body;
    expect(invoice).toMatchObject({ count: 3, fallbacks: 3, thumbsDown: 0 });
    expect(invoice.questions).toHaveLength(3);
    expect(invoice.questions).toEqual(expect.arrayContaining(['可以开发票吗？', '能开发票吗', '开发票吗？']));
    expect(
      rest
        .map((g: { representative: string; thumbsDown: number }) => [g.representative, g.thumbsDown])
        .sort(),
    ).toEqual([
      ['Do you ship to Canada?', 0],
      ['运费怎么算？', 1],
    ]);
    await t.api.get(`/api/kbs/${kbId}/unanswered?days=0`).expect(400);

    const [question, ...alternates] = invoice.questions;
    await t.api
      .post(`/api/kbs/${kbId}/faqs`)
      .send({ question, alternates, answer: '可以，下单时填写发票抬头即可。' })
      .expect(201);
    const after = await t.api.get(`/api/kbs/${kbId}/unanswered`).expect(200);
    expect(after.body.map((g: { id: string }) => g.id)).not.toContain(invoice.id);
    expect(after.headers['x-total-count']).toBe('2');
    const asked = await t.api.post(`/api/kbs/${kbId}/ask`).send({ question: '能开发票吗' }).expect(200);
    expect(asked.body).toMatchObject({ type: 'faq', answer: '可以，下单时填写发票抬头即可。' });
  });

  it('serves the console at /admin to anyone: assets as files, any other path as index.html', async () => {
    const index = await t.anonymous.get('/admin').expect(200);
    expect(index.text).toContain('<div id="root">');
    const deep = await t.anonymous.get(`/admin/kbs/${kbId}/faqs`).expect(200);
    expect(deep.text).toBe(index.text);
    const asset = await t.anonymous.get('/admin/assets/index-abc.js').expect(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toContain('immutable');
    await t.anonymous.get('/admin/assets/missing.js').expect(404);
    const traversal = await t.anonymous.get('/admin/..%2f..%2fpackage.json').expect(200);
    expect(traversal.text).toBe(index.text);
  });
});
