/**
 * Property-based tests (fast-check) against the real API (issue 16): random unicode — NUL, lone
 * surrogates, RTL and zero-width marks among ordinary CJK and Latin text — in every JSON text field,
 * and random or corrupted files of every supported format through the upload API. No 5xx, a clear
 * 4xx for what cannot be stored, and the KB unchanged by whatever was refused or failed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config';
import { docxDocument, pdfDocument, xlsxFaqs } from './support/fixtures';
import { createKb, startTestApp, waitForJob, type TestApp } from './support/test-app';

const PIECES = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e',
  '\u200f',
  '\u200b',
  '\u200d',
  '\ufeff',
  '退货',
  'return',
  '？',
  ' ',
  '😀',
  '\n',
  'é',
];
/** Strings mixing dangerous code units with ordinary text; fc.string adds plain random characters. */
const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6, unit: 'binary' })), {
    minLength: 1,
    maxLength: 12,
  })
  .map((parts) => parts.join(''));

const storable = (s: string) =>
  !s.includes('\u0000') && !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe('fuzzing the API', () => {
  let t: TestApp;
  let kbId: string;
  let faqId: string;
  beforeAll(async () => {
    t = await startTestApp({ parsing: { ...loadConfig({}).parsing, timeoutMs: 10_000, maxHeapMb: 256 } });
    kbId = await createKb(t.api, 'fuzz', 'mixed');
    faqId = (
      await t.api
        .post(`/api/kbs/${kbId}/faqs`)
        .send({ question: '退货期限是多久？', answer: '签收后7天内。' })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => t?.close());

  async function snapshot() {
    const kb = (await t.api.get(`/api/kbs/${kbId}`).expect(200)).body;
    const faqs = (await t.api.get(`/api/kbs/${kbId}/faqs`).expect(200)).body;
    return { version: kb.version, name: kb.name, faqs: JSON.stringify(faqs) };
  }

  it('answers every hostile text field with < 500, refuses NUL and lone surrogates with 400, and then changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'kb name',
          'kb rename',
          'faq question',
          'faq answer',
          'faq alternates',
          'faq patch',
          'ask',
          'ask session',
        ),
        hostileText,
        async (field, text) => {
          const before = await snapshot();
          let res;
          switch (field) {
            case 'kb name':
              res = await t.api.post('/api/kbs').send({ name: text, language: 'zh' });
              break;
            case 'kb rename':
              res = await t.api.patch(`/api/kbs/${kbId}`).send({ name: text });
              break;
            case 'faq question':
              res = await t.api.post(`/api/kbs/${kbId}/faqs`).send({ question: text, answer: 'a' });
              break;
            case 'faq answer':
              res = await t.api.post(`/api/kbs/${kbId}/faqs`).send({ question: 'q?', answer: text });
              break;
            case 'faq alternates':
              res = await t.api
                .post(`/api/kbs/${kbId}/faqs`)
                .send({ question: 'q?', answer: 'a', alternates: [text] });
              break;
            case 'faq patch':
              res = await t.api
                .patch(`/api/kbs/${kbId}/faqs/${faqId}`)
                .send({ answer: text, alternates: [text] });
              break;
            case 'ask':
              res = await t.api.post(`/api/kbs/${kbId}/ask`).send({ question: text });
              break;
            default:
              res = await t.api.post(`/api/kbs/${kbId}/ask`).send({ question: '退货', sessionId: text });
          }
          expect(res.status, `${field} ${JSON.stringify(text)}: ${JSON.stringify(res.body)}`).toBeLessThan(
            500,
          );
          if (!storable(text)) {
            expect(res.status).toBe(400);
            expect(res.body.message).toMatch(/NUL character|lone UTF-16 surrogate/);
          }
          if (res.status >= 400) expect(await snapshot()).toEqual(before);
          // Undo accepted changes so every run starts from the same KB.
          if (res.status === 201 && field.startsWith('faq'))
            await t.api.delete(`/api/kbs/${kbId}/faqs/${res.body.id}`).expect(204);
          if (res.status === 201 && field === 'kb name')
            await t.api.delete(`/api/kbs/${res.body.id}`).expect(204);
        },
      ),
      { numRuns: 120, seed: Number(process.env.FUZZ_SEED ?? 16) },
    );
    expect((await t.api.get('/health').expect(200)).body.status).toBe('ok');
  });

  it('takes random and corrupted files of every format without a 5xx, and a failed one changes nothing', async () => {
    const seeds: Record<string, Buffer> = {
      'faq.csv': Buffer.from('question,answer\n退货期限是多久？,签收后7天内\nHow long?,7 days\n'),
      'faq.json': Buffer.from(
        JSON.stringify([{ question: 'How long?', answer: '7 days', alternates: ['return window'] }]),
      ),
      'faq.md': Buffer.from('# Returns\n\nQ: How long?\nA: 7 days.\n'),
      'faq.html': Buffer.from(
        '<h2>How long?</h2><p>7 days.</p><details><summary>Fees?</summary>None</details>',
      ),
      'faq.txt': Buffer.from('问：退货期限是多久？\n答：签收后7天内。\n'),
      'faq.xlsx': await xlsxFaqs([['退货期限是多久？', '签收后7天内', '怎么退货']]),
      'faq.docx': await docxDocument('Returns', ['Q: How long?', 'A: 7 days.']),
      'faq.pdf': await pdfDocument(['Q: How long?', 'A: 7 days.']),
    };
    const corrupt = fc.oneof(
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.nat(),
        byte: fc.integer({ min: 0, max: 255 }),
        n: fc.integer({ min: 1, max: 8 }),
      }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('random' as const),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 2048 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(seeds)), corrupt, async (name, change) => {
        const seed = seeds[name];
        let file: Buffer;
        if (change.kind === 'random') file = Buffer.from(change.bytes);
        else if (change.kind === 'truncate') file = seed.subarray(0, Math.max(1, change.at % seed.length));
        else {
          file = Buffer.from(seed);
          for (let i = 0; i < change.n; i++) file[(change.at + i * 7919) % file.length] = change.byte;
        }
        const before = await snapshot();
        const res = await t.api.post(`/api/kbs/${kbId}/documents`).attach('files', file, name);
        expect(res.status, `${name} ${change.kind}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
        if (res.status !== 202) {
          expect([400, 413, 415, 422]).toContain(res.status);
          expect(await snapshot()).toEqual(before);
          return;
        }
        const job = await waitForJob(t.api, res.body.jobs[0].id, 30_000);
        expect(['succeeded', 'failed']).toContain(job.status);
        if (job.status === 'failed') {
          expect(job.error).toContain(name);
          expect(job.error).not.toMatch(/internal error/);
          expect(await snapshot()).toEqual(before);
        } else if (job.documentId && !job.duplicate) {
          await t.api.delete(`/api/kbs/${kbId}/documents/${job.documentId}`).expect(204);
        }
      }),
      { numRuns: 48, seed: Number(process.env.FUZZ_SEED ?? 16) },
    );
    expect((await t.api.get('/health').expect(200)).body.status).toBe('ok');
  });
});
