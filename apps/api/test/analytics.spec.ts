/**
 * The analytics: questions asked over REST and in the chat are recorded (with the bot message the
 * feedback joins on), and the dashboard's aggregates over seeded events give the known counts, per
 * day in the caller's time zone, for empty ranges too, and as CSV with the same numbers.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AnalyticsRepository } from '../src/analytics/analytics.repository';
import type { QuestionEvent } from '../src/analytics/question-event';
import { QuestionEventRecorder } from '../src/analytics/question-event-recorder';
import { ChatClient, connectChat, listen } from './support/chat-client';
import { startTestApp, type TestApp } from './support/test-app';

const event = (
  at: string,
  outcome: QuestionEvent['outcome'],
  question: string,
  latencyMs: number,
  extra: Partial<QuestionEvent> = {},
): Omit<QuestionEvent, 'kbId'> => ({
  channel: 'api',
  conversationId: null,
  botMessageSeq: null,
  question,
  outcome,
  handoffReason: null,
  faqId: null,
  intent: null,
  confidence: null,
  latencyMs,
  createdAt: new Date(at),
  ...extra,
});

const RETURNS = '退货期限是多久？';
const SHIPPING = '运费谁出？';
/** Nine questions on 1-3 November 2026 (UTC); the one at 23:30 UTC is on 2 November in Shanghai. */
const SEED = [
  event('2026-11-01T10:00:00Z', 'faq', '退货期限是多久', 100, { intent: RETURNS }),
  event('2026-11-01T11:00:00Z', 'faq', '几天内可以退货', 200, { intent: RETURNS }),
  event('2026-11-01T23:30:00Z', 'fallback', '发票怎么开？', 300),
  event('2026-11-02T09:00:00Z', 'fallback', '发票怎么开?', 400),
  event('2026-11-02T10:00:00Z', 'clarify', '退换', 500),
  event('2026-11-02T12:00:00Z', 'handoff', '发票怎么开', 600, { handoffReason: 'consecutive_fallbacks' }),
  event('2026-11-02T13:00:00Z', 'handoff', '转人工', 700, { handoffReason: 'customer_request' }),
  event('2026-11-03T01:00:00Z', 'extracted', '运费怎么算', 800, { intent: SHIPPING }),
  event('2026-11-03T02:00:00Z', 'fallback', '=SUM(A1)', 900),
];

describe('analytics', () => {
  let t: TestApp;
  let seeded: string;
  let other: string;

  const get = (kbId: string, chart: string, query: Record<string, string | number> = {}) =>
    t.api.get(`/api/kbs/${kbId}/analytics/${chart}`).query(query);

  beforeAll(async () => {
    t = await startTestApp({ demo: true });
    seeded = (await t.api.post('/api/kbs').send({ name: 'seeded', language: 'zh' }).expect(201)).body.id;
    other = (await t.api.post('/api/kbs').send({ name: 'other', language: 'zh' }).expect(201)).body.id;
    await t.wendao.app
      .get(AnalyticsRepository)
      .insert([
        ...SEED.map((e) => ({ ...e, kbId: seeded })),
        { ...event('2026-11-02T10:00:00Z', 'faq', 'elsewhere', 50), kbId: other },
      ]);
  });

  afterAll(async () => {
    await t?.close();
  });

  const NOVEMBER = { from: '2026-11-01', to: '2026-11-03' };

  it('counts questions per day by outcome in UTC and in Asia/Shanghai', async () => {
    const utc = (await get(seeded, 'messages', NOVEMBER).expect(200)).body;
    expect(utc.range).toMatchObject({ from: '2026-11-01', to: '2026-11-03', tz: 'UTC' });
    expect(utc.days).toEqual([
      { day: '2026-11-01', total: 3, faq: 2, extracted: 0, clarify: 0, fallback: 1, handoff: 0 },
      { day: '2026-11-02', total: 4, faq: 0, extracted: 0, clarify: 1, fallback: 1, handoff: 2 },
      { day: '2026-11-03', total: 2, faq: 0, extracted: 1, clarify: 0, fallback: 1, handoff: 0 },
    ]);
    const shanghai = (await get(seeded, 'messages', { ...NOVEMBER, tz: 'Asia/Shanghai' }).expect(200)).body;
    expect(shanghai.days.map((d: { total: number }) => d.total)).toEqual([2, 5, 2]);
    expect(shanghai.days[1].fallback).toBe(2);
    // One day in Shanghai starts at 16:00 UTC the day before: the 23:30 UTC fallback is in it.
    const oneDay = (
      await get(seeded, 'messages', { from: '2026-11-02', to: '2026-11-02', tz: 'Asia/Shanghai' })
    ).body;
    expect(oneDay.days).toEqual([
      { day: '2026-11-02', total: 5, faq: 0, extracted: 0, clarify: 1, fallback: 2, handoff: 2 },
    ]);
  });

  it('gives outcome rates, top intents with their trend and the unanswered groups', async () => {
    const outcomes = (await get(seeded, 'outcomes', NOVEMBER).expect(200)).body;
    expect(outcomes.total).toBe(9);
    expect(outcomes.counts).toEqual({ faq: 2, extracted: 1, clarify: 1, fallback: 3, handoff: 2 });
    expect(outcomes.rates).toMatchObject({
      answered: 0.3333,
      fallback: 0.3333,
      handoff: 0.2222,
      clarify: 0.1111,
    });

    // Several KBs of the organisation together; another organisation's KB is not found.
    const both = (await get(seeded, 'outcomes', { ...NOVEMBER, kbIds: other }).expect(200)).body;
    expect(both.total).toBe(10);
    expect(both.range.kbIds).toEqual([seeded, other]);
    const foreign = await t.newOrganisation('elsewhere');
    const theirs = (await foreign.api.post('/api/kbs').send({ name: 'theirs', language: 'zh' }).expect(201))
      .body.id;
    expect((await get(seeded, 'outcomes', { kbIds: theirs }).expect(404)).body.message).toContain(theirs);
    expect((await get(seeded, 'outcomes', { kbIds: 'x' }).expect(400)).body.message).toMatch(/kbIds must be/);

    const intents = (await get(seeded, 'intents', NOVEMBER).expect(200)).body;
    expect(intents.intents).toEqual([
      { intent: RETURNS, count: 2, daily: [2, 0, 0] },
      { intent: SHIPPING, count: 1, daily: [0, 0, 1] },
    ]);
    expect((await get(seeded, 'intents', { ...NOVEMBER, limit: 1 })).body.intents).toHaveLength(1);
    // limit=all: every intent asked, past the 100 a number may ask for (the intents page's counts).
    const many = Array.from({ length: 101 }, (_, i) => `意图${String(i).padStart(3, '0')}`);
    const crowded = (await t.api.post('/api/kbs').send({ name: 'crowded', language: 'zh' }).expect(201)).body
      .id;
    await t.wendao.app.get(AnalyticsRepository).insert([
      ...many.map((intent) => ({
        ...event('2026-11-02T10:00:00Z', 'faq', intent, 10, { intent }),
        kbId: crowded,
      })),
      { ...event('2026-11-02T11:00:00Z', 'faq', 'again', 10, { intent: many[100] }), kbId: crowded },
    ]);
    expect(
      (await get(crowded, 'intents', { ...NOVEMBER, limit: 100 }).expect(200)).body.intents,
    ).toHaveLength(100);
    const all = (await get(crowded, 'intents', { ...NOVEMBER, limit: 'all' }).expect(200)).body.intents;
    expect(all).toHaveLength(101);
    expect(all[0]).toEqual({ intent: many[100], count: 2, daily: [0, 2, 0] });
    expect(all.reduce((sum: number, i: { count: number }) => sum + i.count, 0)).toBe(102);
    // An intent whose questions were all deleted is not listed (its rollup rows stay, at 0).
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    await db.query(`DELETE FROM question_event WHERE kb_id = $1 AND intent = $2`, [crowded, many[0]]);
    await db.end();
    for (const tz of ['UTC', 'Asia/Kolkata']) {
      const left = (await get(crowded, 'intents', { ...NOVEMBER, tz, limit: 'all' }).expect(200)).body
        .intents;
      expect(left.map((i: { intent: string }) => i.intent)).toEqual([many[100], ...many.slice(1, 100)]);
    }
    // Not for the unanswered groups, which a busy KB has by the ten thousand.
    expect((await get(seeded, 'unanswered', { limit: 'all' }).expect(400)).body.message).toMatch(
      /all is for intents only/,
    );
    // Less than one UTC day (Shanghai's 3 November is 16:00 UTC to 16:00 UTC): hourly rollup only.
    expect(
      (await get(seeded, 'intents', { from: '2026-11-03', to: '2026-11-03', tz: 'Asia/Shanghai' })).body
        .intents,
    ).toEqual([{ intent: SHIPPING, count: 1, daily: [1] }]);

    // 发票怎么开？ / 发票怎么开? / 发票怎么开 are one group; the handoff after fallbacks counts, 转人工 does not.
    const unanswered = (await get(seeded, 'unanswered', NOVEMBER).expect(200)).body;
    expect(
      unanswered.groups.map((g: { normalized: string; count: number }) => [g.normalized, g.count]),
    ).toEqual([
      ['发票怎么开', 3],
      ['=sum(a1)', 1],
    ]);
    expect(unanswered.groups[0].lastAsked).toBe('2026-11-02T12:00:00.000Z');
  });

  it('shows an unanswered group as the spelling customers typed most (ties: the latest), not the first in sort order', async () => {
    // '?' sorts before '？': the first spelling in sort order was shown even when asked least.
    const kb = (await t.api.post('/api/kbs').send({ name: 'spellings', language: 'zh' }).expect(201)).body.id;
    await t.wendao.app.get(AnalyticsRepository).insert(
      [
        event('2026-11-01T08:00:00Z', 'fallback', '可以货到付款吗?', 100),
        event('2026-11-01T09:00:00Z', 'fallback', '可以货到付款吗？', 100),
        event('2026-11-02T09:00:00Z', 'fallback', '可以货到付款吗？', 100),
        event('2026-11-01T10:00:00Z', 'fallback', '怎么退款?', 100),
        event('2026-11-02T10:00:00Z', 'handoff', '怎么退款？', 100, {
          handoffReason: 'consecutive_fallbacks',
        }),
      ].map((e) => ({ ...e, kbId: kb })),
    );
    const { groups } = (await get(kb, 'unanswered', NOVEMBER).expect(200)).body;
    expect(groups.map((g: { question: string; count: number }) => [g.question, g.count])).toEqual([
      ['可以货到付款吗？', 3],
      ['怎么退款？', 2],
    ]);
  });

  it('gives latency percentiles over the range and per day, within 10 % of the exact ones', async () => {
    const latency = (await get(seeded, 'latency', NOVEMBER).expect(200)).body;
    const near = (value: number, exact: number) => expect(Math.abs(value / exact - 1)).toBeLessThan(0.1);
    expect(latency.count).toBe(9);
    near(latency.p50, 500);
    near(latency.p95, 860);
    expect(latency.days.map((d: { count: number }) => d.count)).toEqual([3, 4, 2]);
    near(latency.days[0].p50, 200);
  });

  it('counts from the events in a zone with a half-hour offset as the rollups do in whole-hour zones', async () => {
    // Asia/Kolkata (+5:30) cannot use hourly rollups; its days hold the same events as Shanghai's here.
    const kolkata = { ...NOVEMBER, tz: 'Asia/Kolkata' };
    const messages = (await get(seeded, 'messages', kolkata).expect(200)).body;
    expect(messages.days.map((d: { total: number }) => d.total)).toEqual([2, 5, 2]);
    const shanghai = { ...NOVEMBER, tz: 'Asia/Shanghai' };
    for (const chart of ['intents', 'latency']) {
      const a = (await get(seeded, chart, kolkata).expect(200)).body;
      const b = (await get(seeded, chart, shanghai).expect(200)).body;
      expect({ ...a, range: null }).toEqual({ ...b, range: null });
    }
  });

  it("splits the hours a half-hour zone's midnights fall in between its days (rollups elsewhere, events there)", async () => {
    // Kolkata's 1-3 November run from 31 October 18:30 UTC to 3 November 18:30 UTC: the 18:00 UTC hours
    // hold two local days each, and the range's ends cut through two of them.
    const kb = (await t.api.post('/api/kbs').send({ name: 'kolkata', language: 'zh' }).expect(201)).body.id;
    await t.wendao.app.get(AnalyticsRepository).insert(
      [
        event('2026-10-31T18:29:00Z', 'faq', 'before the range', 100), // 31 Oct 23:59
        event('2026-10-31T18:31:00Z', 'faq', 'a', 100, { intent: RETURNS }), // 1 Nov 00:01
        event('2026-11-01T18:10:00Z', 'faq', 'b', 200), // 1 Nov 23:40
        event('2026-11-01T18:40:00Z', 'fallback', 'c', 300, { intent: RETURNS }), // 2 Nov 00:10
        event('2026-11-02T05:00:00Z', 'clarify', 'd', 400, { intent: SHIPPING }), // 2 Nov 10:30 (a whole hour)
        event('2026-11-02T18:29:00Z', 'extracted', 'e', 500), // 2 Nov 23:59
        event('2026-11-03T18:31:00Z', 'faq', 'after the range', 600), // 4 Nov 00:01
      ].map((e) => ({ ...e, kbId: kb })),
    );
    const kolkata = { ...NOVEMBER, tz: 'Asia/Kolkata' };
    const messages = (await get(kb, 'messages', kolkata).expect(200)).body;
    expect(messages.days.map((d: { total: number }) => d.total)).toEqual([2, 3, 0]);
    const outcomes = (await get(kb, 'outcomes', kolkata).expect(200)).body;
    expect(outcomes.counts).toEqual({ faq: 2, extracted: 1, clarify: 1, fallback: 1, handoff: 0 });
    expect((await get(kb, 'intents', kolkata).expect(200)).body.intents).toEqual([
      { intent: RETURNS, count: 2, daily: [1, 1, 0] },
      { intent: SHIPPING, count: 1, daily: [0, 1, 0] },
    ]);
    const latency = (await get(kb, 'latency', kolkata).expect(200)).body;
    expect(latency.count).toBe(5);
    expect(latency.days.map((d: { count: number }) => d.count)).toEqual([2, 3, 0]);
  });

  it('answers an empty range with zeros and no rates', async () => {
    const q = { from: '2025-01-01', to: '2025-01-03' };
    const messages = (await get(seeded, 'messages', q).expect(200)).body;
    expect(messages.days.map((d: { total: number }) => d.total)).toEqual([0, 0, 0]);
    const outcomes = (await get(seeded, 'outcomes', q).expect(200)).body;
    expect(outcomes.total).toBe(0);
    expect(outcomes.rates.answered).toBeNull();
    expect((await get(seeded, 'intents', q)).body.intents).toEqual([]);
    expect((await get(seeded, 'unanswered', q)).body.groups).toEqual([]);
    expect((await get(seeded, 'feedback', q)).body).toMatchObject({ up: 0, down: 0, ratio: null });
    expect((await get(seeded, 'latency', q)).body).toMatchObject({ count: 0, p50: null, p95: null });
  });

  it('exports each chart as CSV with the numbers of the JSON', async () => {
    const csv = await get(seeded, 'messages', { ...NOVEMBER, format: 'csv' }).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain('wendao-messages-2026-11-01-2026-11-03.csv');
    expect(csv.text.replace('\uFEFF', '').trim().split('\r\n')).toEqual([
      'day,total,faq,extracted,clarify,fallback,handoff',
      '2026-11-01,3,2,0,0,1,0',
      '2026-11-02,4,0,0,1,1,2',
      '2026-11-03,2,0,1,0,1,0',
    ]);
    const outcomes = (await get(seeded, 'outcomes', { ...NOVEMBER, format: 'csv' })).text;
    expect(outcomes).toContain('\r\nanswered,3,0.3333\r\n');
    // A customer's question that a spreadsheet would run as a formula is written as text.
    const unanswered = (await get(seeded, 'unanswered', { ...NOVEMBER, format: 'csv' })).text;
    expect(unanswered).toContain("\r\n'=SUM(A1),'=sum(a1),1,2026-11-03T02:00:00+00:00\r\n");
    // When it was last asked is written in the range's zone, as its days are counted.
    const inShanghai = (await get(seeded, 'unanswered', { ...NOVEMBER, tz: 'Asia/Shanghai', format: 'csv' }))
      .text;
    expect(inShanghai).toContain("\r\n'=SUM(A1),'=sum(a1),1,2026-11-03T10:00:00+08:00\r\n");
    const intents = (await get(seeded, 'intents', { ...NOVEMBER, format: 'csv' })).text;
    expect(intents).toContain(`intent,total,2026-11-01,2026-11-02,2026-11-03\r\n${RETURNS},2,2,0,0\r\n`);
  });

  it('writes the CSV headers and row labels in the language asked for, with the same numbers, after a BOM', async () => {
    const bytes = async (chart: string, query: Record<string, string>) =>
      (
        await get(seeded, chart, { ...NOVEMBER, format: 'csv', ...query })
          .buffer(true)
          .parse((res, done) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => done(null, Buffer.concat(chunks)));
          })
          .expect(200)
      ).body as Buffer;
    const zh = await bytes('messages', { lang: 'zh' });
    // Excel opens a UTF-8 file without the BOM as the system's code page: 日期 became 鏃ユ湡.
    expect([...zh.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(zh.toString('utf8').slice(1).trim().split('\r\n')).toEqual([
      '日期,合计,FAQ 答案,文档摘录,反问澄清,未答出,转人工',
      '2026-11-01,3,2,0,0,1,0',
      '2026-11-02,4,0,0,1,1,2',
      '2026-11-03,2,0,1,0,1,0',
    ]);
    const csv = async (chart: string, lang?: string) =>
      (await get(seeded, chart, { ...NOVEMBER, format: 'csv', ...(lang ? { lang } : {}) }).expect(200)).text
        .replace('\uFEFF', '')
        .trim()
        .split('\r\n');
    expect(await csv('outcomes', 'zh')).toEqual([
      '结果,次数,占比',
      '已回答（FAQ 答案 + 文档摘录）,3,0.3333',
      ...(await csv('outcomes')).slice(2, -1).map((line) => {
        const [code, ...numbers] = line.split(',');
        const words: Record<string, string> = {
          faq: 'FAQ 答案',
          extracted: '文档摘录',
          clarify: '反问澄清',
          fallback: '未答出',
          handoff: '转人工',
        };
        return [words[code], ...numbers].join(',');
      }),
      '合计,9,1',
    ]);
    expect(await csv('outcomes', 'en')).toContain('Answered (FAQ + document extracts),3,0.3333');
    expect((await csv('unanswered', 'en'))[0]).toBe('Question,Normalized question,Count,Last asked');
    expect((await csv('intents', 'zh'))[0]).toBe('意图,合计,2026-11-01,2026-11-02,2026-11-03');
    expect((await csv('feedback', 'zh'))[0]).toBe('日期,好评,差评,好评率');
    const latency = await csv('latency', 'en');
    expect(latency[0]).toBe('Day,Count,p50 (ms),p95 (ms)');
    // Only the labels differ from the machine form scripts read.
    expect(latency.slice(1, -1)).toEqual((await csv('latency')).slice(1, -1));
    expect(latency.at(-1)!.replace(/^Total,/, 'total,')).toBe((await csv('latency')).at(-1));
  });

  it('refuses bad dates, time zones and ranges with a 400 that says why, and unknown KBs with a 404', async () => {
    const bad: [Record<string, string | number>, RegExp][] = [
      [{ tz: 'Mars/Olympus_Mons' }, /tz must be an IANA time zone/],
      [{ from: '2026-13-01' }, /from must be a date as YYYY-MM-DD/],
      [{ from: '2026-02-30', to: '2026-03-01' }, /2026-02-30 is not a calendar date/],
      [{ from: '2026-11-03', to: '2026-11-01' }, /is after to/],
      [{ from: '2024-01-01', to: '2026-01-01' }, /at most 366/],
      [{ limit: 0 }, /limit/],
      [{ limit: 'every' }, /limit must be an integer or all/],
      [{ format: 'xml' }, /format must be json or csv/],
      [{ format: 'csv', lang: 'fr' }, /lang must be zh or en/],
    ];
    for (const [query, message] of bad)
      expect((await get(seeded, 'messages', query).expect(400)).body.message).toMatch(message);
    await get(randomUUID(), 'messages').expect(404);
  });

  it('records questions asked over REST and in the chat, with the feedback on chat answers', async () => {
    const demo = (await t.api.get('/api/kbs').expect(200)).body.find((kb: { name: string; id: string }) =>
      [seeded, other].every((id) => id !== kb.id),
    ).id;
    const recorder = t.wendao.app.get(QuestionEventRecorder);
    const asked = (await t.api.post(`/api/kbs/${demo}/ask`).send({ question: '运费怎么算？' }).expect(200))
      .body;

    const url = await listen(t);
    const key = (await t.api.post(`/api/kbs/${demo}/widget-keys`).send({}).expect(201)).body.key;
    let client: ChatClient | undefined;
    try {
      client = await connectChat(url, { key });
      const ready = await client.send('session:start', {});
      const ack = await client.send('message', { clientId: 'q1', text: RETURNS });
      const reply = await client.waitFor('bot:message', (m) => m.seq === ack.seq + 1);
      expect((await client.send('feedback', { seq: reply.seq, vote: 'up' })).ok).toBe(true);
      await client.send('message', { clientId: 'q2', text: '转人工' });
      await client.waitFor('bot:message', (m) => m.seq === ack.seq + 3);
      await recorder.flushed();

      const db = new Client({ connectionString: t.databaseUrl });
      await db.connect();
      const rows = (
        await db.query(
          `SELECT channel, conversation_id, message_id IS NOT NULL AS has_message, question, outcome,
             handoff_reason, intent FROM question_event WHERE kb_id = $1 ORDER BY id`,
          [demo],
        )
      ).rows;
      await db.end();
      expect(rows).toEqual([
        {
          channel: 'api',
          conversation_id: null,
          has_message: false,
          question: '运费怎么算？',
          outcome: asked.type,
          handoff_reason: null,
          intent: asked.source?.question ?? null,
        },
        {
          channel: 'chat',
          conversation_id: ready.sessionId,
          has_message: true,
          question: RETURNS,
          outcome: reply.type,
          handoff_reason: null,
          intent: reply.source?.question ?? null,
        },
        {
          channel: 'chat',
          conversation_id: ready.sessionId,
          has_message: true,
          question: '转人工',
          outcome: 'handoff',
          handoff_reason: 'customer_request',
          intent: null,
        },
      ]);
      // An FAQ's answer: the entry's question is the intent (the demo answers 退货期限是多久？ from a passage).
      expect(rows[0]).toMatchObject({ outcome: 'faq', intent: '运费怎么算？' });
    } finally {
      client?.socket.disconnect();
    }
    const feedback = (await get(demo, 'feedback').expect(200)).body;
    expect(feedback).toMatchObject({ up: 1, down: 0, ratio: 1 });
  });

  it("does not record a trial ask (the test console's), and refuses a trial that is not a boolean", async () => {
    const kb = (await t.api.post('/api/kbs').send({ name: 'trials', language: 'zh' }).expect(201)).body.id;
    const recorder = t.wendao.app.get(QuestionEventRecorder);
    const trial = (
      await t.api.post(`/api/kbs/${kb}/ask`).send({ question: '你们几点下班', trial: true }).expect(200)
    ).body;
    expect(trial.type).toBe('fallback');
    await t.api.post(`/api/kbs/${kb}/ask`).send({ question: '你们几点上班' }).expect(200);
    await recorder.flushed();
    const unanswered = (await t.api.get(`/api/kbs/${kb}/unanswered`).expect(200)).body;
    expect(unanswered.map((g: { representative: string }) => g.representative)).toEqual(['你们几点上班']);
    expect((await get(kb, 'outcomes').expect(200)).body.total).toBe(1);
    const refused = await t.api
      .post(`/api/kbs/${kb}/ask`)
      .send({ question: '你好', trial: 'yes' })
      .expect(400);
    expect(refused.body.message).toBe('trial must be a boolean value');
  });

  it('keeps the feedback rollup in step with votes and their questions, whichever comes first, also when committed concurrently', async () => {
    const kbId = (await t.api.post('/api/kbs').send({ name: 'votes', language: 'zh' }).expect(201)).body.id;
    const db = new Client({ connectionString: t.databaseUrl });
    const other = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    await other.connect();
    try {
      const [{ id: conversationId }] = (
        await db.query(`INSERT INTO conversation (kb_id, state) VALUES ($1, '{}') RETURNING id`, [kbId])
      ).rows;
      const messages: string[] = (
        await db.query(
          `INSERT INTO message (conversation_id, seq, role, text)
           SELECT $1, s, 'bot', '答案' FROM generate_series(1, 6) s ORDER BY s RETURNING id`,
          [conversationId],
        )
      ).rows.map((r: { id: string }) => r.id);
      const chat = (at: string, seq: number) => ({
        ...event(at, 'faq', `问题 ${seq}`, 100, { channel: 'chat', conversationId, botMessageSeq: seq }),
        kbId,
      });
      const vote = (seq: number, v: 'up' | 'down', client = db) =>
        client.query(
          `INSERT INTO message_feedback (message_id, vote) VALUES ($1, $2)
           ON CONFLICT (message_id) DO UPDATE SET vote = EXCLUDED.vote`,
          [messages[seq - 1], v],
        );
      const repository = t.wendao.app.get(AnalyticsRepository);
      // Questions 1-3, then votes on them: one changed, one taken back.
      await repository.insert([
        chat('2026-11-01T10:00:00Z', 1),
        chat('2026-11-01T23:30:00Z', 2),
        chat('2026-11-02T09:00:00Z', 3),
      ]);
      await vote(1, 'up');
      await vote(2, 'down');
      await vote(3, 'up');
      await vote(1, 'down');
      await db.query(`DELETE FROM message_feedback WHERE message_id = $1`, [messages[2]]);
      // The customer votes before the question is recorded (the recorder runs after the reply).
      await vote(4, 'up');
      await repository.insert([chat('2026-11-03T01:00:00Z', 4)]);

      const days = async (tz: string) =>
        (await get(kbId, 'feedback', { ...NOVEMBER, tz }).expect(200)).body.days.map(
          (d: { up: number; down: number }) => [d.up, d.down],
        );
      expect(await days('UTC')).toEqual([
        [0, 2],
        [0, 0],
        [1, 0],
      ]);
      expect(await days('Asia/Shanghai')).toEqual([
        [0, 1],
        [0, 1],
        [1, 0],
      ]);
      // Asia/Kolkata (a half-hour offset) joins the events themselves: the same days.
      expect(await days('Asia/Kolkata')).toEqual(await days('Asia/Shanghai'));

      // A question and its vote in two transactions at once, in both orders: each counts once.
      const question = (seq: number) =>
        `INSERT INTO question_event (kb_id, channel, conversation_id, message_id, question, question_normalized,
           outcome, latency_ms, created_at)
         VALUES ('${kbId}', 'chat', '${conversationId}', '${messages[seq - 1]}', 'q', 'q', 'faq', 1, '2026-11-03T02:00:00Z')`;
      const settle = () => new Promise((r) => setTimeout(r, 300));
      await db.query('BEGIN');
      await db.query(question(5));
      const voting = vote(5, 'up', other);
      await settle();
      await db.query('COMMIT');
      await voting;
      await other.query('BEGIN');
      await vote(6, 'up', other);
      const recording = db.query(question(6));
      await settle();
      await other.query('COMMIT');
      await recording;
      const utc = (await get(kbId, 'feedback', { ...NOVEMBER, tz: 'UTC' }).expect(200)).body;
      expect(utc).toMatchObject({ up: 3, down: 2 });
      expect(
        (await get(kbId, 'feedback', { ...NOVEMBER, tz: 'Asia/Kolkata' }).expect(200)).body,
      ).toMatchObject({
        up: 3,
        down: 2,
      });

      await db.query(`DELETE FROM question_event WHERE kb_id = $1`, [kbId]);
      expect((await get(kbId, 'feedback', { ...NOVEMBER, tz: 'UTC' }).expect(200)).body).toMatchObject({
        up: 0,
        down: 0,
        ratio: null,
      });
    } finally {
      await db.end();
      await other.end();
    }
  });

  it('keeps the rollups in step when events are deleted', async () => {
    const day = { from: '2026-11-02', to: '2026-11-02' };
    expect((await get(other, 'outcomes', day).expect(200)).body.total).toBe(1);
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    await db.query(`DELETE FROM question_event WHERE kb_id = $1`, [other]);
    await db.end();
    expect((await get(other, 'outcomes', day).expect(200)).body.total).toBe(0);
    expect((await get(other, 'latency', day).expect(200)).body.count).toBe(0);
  });

  it('logs an event it cannot store instead of failing the answer', async () => {
    const recorder = t.wendao.app.get(QuestionEventRecorder);
    // No such KB: the foreign key refuses the row.
    recorder.record({ ...event('2026-11-01T00:00:00Z', 'faq', 'lost', 1), kbId: randomUUID() });
    await expect(recorder.flushed()).resolves.toBeUndefined();
  });

  it('writes the events that arrive together in one insert, and a refused row loses only itself', async () => {
    const kb = (await t.api.post('/api/kbs').send({ name: 'batched', language: 'zh' }).expect(201)).body.id;
    const recorder = t.wendao.app.get(QuestionEventRecorder);
    const inserts = vi.spyOn(t.wendao.app.get(AnalyticsRepository), 'insert');
    try {
      recorder.record({ ...event('2026-11-02T00:00:00Z', 'faq', 'kept 1', 1), kbId: kb });
      recorder.record({ ...event('2026-11-02T00:00:01Z', 'faq', 'refused', 1), kbId: randomUUID() });
      recorder.record({ ...event('2026-11-02T00:00:02Z', 'faq', 'kept 2', 1), kbId: kb });
      await recorder.flushed();
      // One INSERT for the three, refused as a whole; then row by row.
      expect(inserts.mock.calls.map(([rows]) => rows.map((r) => r.question))).toEqual([
        ['kept 1', 'refused', 'kept 2'],
        ['kept 1'],
        ['refused'],
        ['kept 2'],
      ]);
    } finally {
      inserts.mockRestore();
    }
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const stored = await db.query(
      `SELECT question FROM question_event WHERE kb_id = $1 ORDER BY created_at`,
      [kb],
    );
    await db.end();
    expect(stored.rows.map((r) => r.question)).toEqual(['kept 1', 'kept 2']);
  });

  it('stamps an event with the time it was recorded, not the time its batch is written', async () => {
    const kb = (await t.api.post('/api/kbs').send({ name: 'stamped', language: 'zh' }).expect(201)).body.id;
    const recorder = t.wendao.app.get(QuestionEventRecorder);
    const inserts = vi.spyOn(t.wendao.app.get(AnalyticsRepository), 'insert');
    try {
      const { createdAt: _, ...unstamped } = event('2026-11-02T00:00:00Z', 'faq', 'when?', 1);
      const before = Date.now();
      recorder.record({ ...unstamped, kbId: kb });
      const after = Date.now();
      await recorder.flushed();
      const [[[row]]] = inserts.mock.calls;
      expect(row.createdAt).toBeInstanceOf(Date);
      expect(row.createdAt!.getTime()).toBeGreaterThanOrEqual(before);
      expect(row.createdAt!.getTime()).toBeLessThanOrEqual(after);
    } finally {
      inserts.mockRestore();
    }
  });
});
