import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@anush008/tokenizers';
import { env, pipeline } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBertTokenizerJson, TextTokenizer, tinyVocab, writeTinyModel } from '@wendao/models';
import { NeuralReader } from './neural-reader';
import { buildReaderWindows } from './reader-windows';
import type { ReaderResult } from './reader';

// A tiny random-weight BERT QA model: real ONNX graph, real tokenizer, meaningless answers.
// So these tests check the mechanics (layout, windows, offsets, batching), never which span wins.
let root: string;
let dir: string;
let embedderDir: string;
const SEED_PASSAGE = '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。';
const SEED_QUESTION = '退货期限是多久？';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'wendao-reader-'));
  dir = join(root, 'qa');
  embedderDir = join(root, 'embedder');
  await writeTinyModel(dir, { head: 'qa', seed: 7 });
  await writeTinyModel(embedderDir, { head: 'embedder', seed: 7 });
  return () => rmSync(root, { recursive: true, force: true });
});

function expectWellFormed(result: ReaderResult, passages: string[]) {
  expect(result.mode).toBe('neural');
  expect(result.spans.length).toBeGreaterThan(0);
  let total = result.noAnswer.probability;
  for (const s of result.spans) {
    expect(s.end).toBeGreaterThan(s.start);
    expect(s.text).toBe(passages[s.passageIndex].slice(s.start, s.end));
    expect(s.probability).toBeGreaterThan(0);
    expect(s.probability).toBeLessThanOrEqual(1);
    total += s.probability;
  }
  expect(total).toBeLessThanOrEqual(1 + 1e-6);
  for (let i = 1; i < result.spans.length; i++)
    expect(result.spans[i - 1].score).toBeGreaterThanOrEqual(result.spans[i].score);
}

describe('NeuralReader on a tiny QA model', () => {
  it('lays out windows exactly as the tokenizer lays out a question/passage pair', async () => {
    const tokenizer = TextTokenizer.load(dir);
    const q = await tokenizer.encode(SEED_QUESTION, { addSpecialTokens: false });
    const p = await tokenizer.encode(SEED_PASSAGE, { addSpecialTokens: false });
    const [window] = buildReaderWindows(
      q,
      [p],
      { ...tokenizer.special, pairTemplate: tokenizer.pairTemplate },
      {
        maxSeqLength: 384,
        docStride: 128,
        maxQuestionLength: 64,
      },
    );
    // reference: the Rust tokenizer's own pair post-processor (BERT's TemplateProcessing) on the same vocab
    const rust = Tokenizer.fromString(JSON.stringify(buildBertTokenizerJson(tinyVocab())));
    const pair = await rust.encode(SEED_QUESTION, SEED_PASSAGE);
    expect(window.inputIds).toEqual(pair.getIds());
    expect(window.tokenTypeIds).toEqual(pair.getTypeIds());
  });

  it('answers the seed question with a well-formed span, the same way every time', async () => {
    const reader = await NeuralReader.load(dir);
    const first = await reader.answer(SEED_QUESTION, [SEED_PASSAGE]);
    expectWellFormed(first, [SEED_PASSAGE]);
    expect(first.windows).toBe(1);
    expect(first.spans).toHaveLength(3);
    const again = await (await NeuralReader.load(dir)).answer(SEED_QUESTION, [SEED_PASSAGE]);
    expect(again).toEqual(first);
  });

  it('reads a passage longer than the 512-token limit in windows, identically for batch sizes 1 and 8', async () => {
    const long = SEED_PASSAGE.repeat(30); // ~1100 tokens
    const passages = [long, 'You can return most items within 30 days.', SEED_PASSAGE];
    const reader = await NeuralReader.load(dir);
    const one = await reader.answer(SEED_QUESTION, passages, { batchSize: 1, topK: 10 });
    const eight = await reader.answer(SEED_QUESTION, passages, { batchSize: 8, topK: 10 });
    expectWellFormed(one, passages);
    expect(one.windows).toBeGreaterThanOrEqual(5);
    expect(eight.windows).toBe(one.windows);
    // padding inside a batch must not change any window's logits beyond float noise
    expect(eight.spans.map((s) => [s.passageIndex, s.start, s.end])).toEqual(
      one.spans.map((s) => [s.passageIndex, s.start, s.end]),
    );
    eight.spans.forEach((s, i) => expect(s.score).toBeCloseTo(one.spans[i].score, 4));
    expect(eight.noAnswer.score).toBeCloseTo(one.noAnswer.score, 4);
  });

  it('caps windows at the model position limit and honours maxAnswerLength', async () => {
    const reader = await NeuralReader.load(dir);
    const long = SEED_PASSAGE.repeat(30);
    const result = await reader.answer(SEED_QUESTION, [long], {
      maxSeqLength: 4096,
      maxAnswerLength: 3,
      topK: 20,
    });
    expectWellFormed(result, [long]);
    // ~1100 tokens in windows of at most 512 positions
    expect(result.windows).toBeGreaterThanOrEqual(3);
    const tokenizer = TextTokenizer.load(dir);
    for (const s of result.spans) expect((await tokenizer.tokenIds(s.text)).length).toBeLessThanOrEqual(3);
  });

  it('gives a certain no-answer when every passage is empty', async () => {
    const reader = await NeuralReader.load(dir);
    const result = await reader.answer(SEED_QUESTION, ['', '']);
    expect(result).toMatchObject({ spans: [], noAnswer: { probability: 1 }, windows: 0 });
  });

  it('releases its ONNX session on close', async () => {
    const reader = await NeuralReader.load(dir);
    await reader.close();
    await expect(reader.answer(SEED_QUESTION, [SEED_PASSAGE])).rejects.toThrow(/disposed/);
  });

  it('refuses a model without QA outputs and an empty question', async () => {
    await expect(NeuralReader.load(embedderDir)).rejects.toThrow(/not an extractive QA model/);
    const reader = await NeuralReader.load(dir);
    await expect(reader.answer('', [SEED_PASSAGE])).rejects.toThrow(/question is empty/);
  });

  it('ranks the same top spans as the transformers.js question-answering pipeline', async () => {
    // transformers.js reads the same ONNX graph from onnx/model.onnx and needs tokenizer.json
    const hfRoot = join(root, 'hf');
    const hfDir = join(hfRoot, 'tiny-qa');
    mkdirSync(join(hfDir, 'onnx'), { recursive: true });
    for (const f of readdirSync(dir)) if (f !== 'model.onnx') copyFileSync(join(dir, f), join(hfDir, f));
    copyFileSync(join(dir, 'model.onnx'), join(hfDir, 'onnx', 'model.onnx'));
    writeFileSync(join(hfDir, 'tokenizer.json'), JSON.stringify(buildBertTokenizerJson(tinyVocab())));
    env.allowRemoteModels = false;
    env.localModelPath = `${hfRoot}/`;
    const reference = await pipeline('question-answering', 'tiny-qa', { dtype: 'fp32' });
    const reader = await NeuralReader.load(dir);
    const cases = [
      [SEED_QUESTION, SEED_PASSAGE],
      ['满多少钱包邮？', '订单满99元包邮，不满收取10元运费。'],
      [
        'how long do i have to return an item?',
        'you can return most items within 30 days of delivery. refunds are issued to the original payment method.',
      ],
      ['what is the phone number?', 'call customer service at 400-123-4567 from monday to friday.'],
    ];
    // The pipeline decodes tokens (spaces between CJK characters, ## pieces); compare without spaces and ##.
    const norm = (s: string) => s.toLowerCase().replace(/\s+|##/g, '');
    for (const [question, passage] of cases) {
      const theirs = (await reference(question, passage, { top_k: 3 })) as Array<{ answer: string }>;
      // the pipeline reads one window with no answer-length limit and keeps word pieces as they are
      const mine = await reader.answer(question, [passage], {
        topK: 3,
        maxAnswerLength: 512,
        alignToWords: false,
      });
      expect(mine.spans.map((s) => norm(s.text))).toEqual(theirs.map((t) => norm(t.answer)));
    }
  });

  it('widens spans that cut a word to the whole word', async () => {
    const reader = await NeuralReader.load(dir);
    const passage =
      'you can return most items within 30 days of delivery. refunds are issued to the original payment method.';
    const question = 'how long do i have to return an item?';
    const raw = await reader.answer(question, [passage], {
      topK: 20,
      maxAnswerLength: 512,
      alignToWords: false,
    });
    const aligned = await reader.answer(question, [passage], { topK: 20, maxAnswerLength: 512 });
    // this random model picks spans that cut words (word pieces such as "mos" + "##t")
    expect(raw.spans.some((s) => /[a-z]$/.test(s.text) && /[a-z]/.test(passage[s.end] ?? ''))).toBe(true);
    for (const s of aligned.spans) {
      expect(s.text).toBe(passage.slice(s.start, s.end));
      expect(/[a-z0-9]/.test(passage[s.start - 1] ?? ' ') && /[a-z0-9]/.test(passage[s.start])).toBe(false);
      expect(/[a-z0-9]/.test(passage[s.end - 1]) && /[a-z0-9]/.test(passage[s.end] ?? ' ')).toBe(false);
    }
    // the best span is the raw best span, widened over letters only
    const [top, rawTop] = [aligned.spans[0], raw.spans[0]];
    expect(top.score).toBe(rawTop.score);
    expect(passage.slice(top.start, rawTop.start)).toMatch(/^[a-z0-9]*$/);
    expect(passage.slice(rawTop.end, top.end)).toMatch(/^[a-z0-9]*$/);
  });
});

describe('NeuralReader packed layout', () => {
  const passages = [
    SEED_PASSAGE,
    'Returns are accepted within 30 days of delivery; refunds reach the original card in 3-5 days. '.repeat(
      12,
    ),
    '满99元包邮，偏远地区运费另计。',
  ];

  it('runs windows of different lengths without padding, giving the file’s spans and scores', async () => {
    const packed = await NeuralReader.load(dir);
    const asIs = await NeuralReader.load(dir, { packed: false });
    expect(packed.layout).toBe('packed');
    expect(packed.layoutNote).toBeUndefined();
    expect(asIs.layout).toBe('padded');
    for (const batchSize of [1, 3, 8]) {
      const a = await packed.answer(SEED_QUESTION, passages, { topK: 10, batchSize });
      const b = await asIs.answer(SEED_QUESTION, passages, { topK: 10, batchSize });
      expect(a.windows).toBeGreaterThan(passages.length);
      expect(a.spans.map((s) => [s.passageIndex, s.start, s.end])).toEqual(
        b.spans.map((s) => [s.passageIndex, s.start, s.end]),
      );
      a.spans.forEach((s, i) => expect(Math.abs(s.score - b.spans[i].score)).toBeLessThan(1e-4));
      expect(Math.abs(a.noAnswer.probability - b.noAnswer.probability)).toBeLessThan(1e-5);
    }
    await packed.close();
    await asIs.close();
  });

  it('runs an int8 file as it is and says why', async () => {
    const int8 = join(root, 'qa-int8');
    await writeTinyModel(int8, { head: 'qa', seed: 7 });
    mkdirSync(join(int8, 'onnx'));
    copyFileSync(join(int8, 'model.onnx'), join(int8, 'onnx', 'model_quantized.onnx'));
    const reader = await NeuralReader.load(int8);
    expect(reader.layout).toBe('padded');
    expect(reader.layoutNote).toMatch(/model_quantized\.onnx is quantized/);
    expectWellFormed(await reader.answer(SEED_QUESTION, [SEED_PASSAGE]), [SEED_PASSAGE]);
    await reader.close();
  });

  it('keeps running the file when the rebuilt model would give other logits', async () => {
    const liar = join(root, 'qa-claims-relu');
    await writeTinyModel(liar, { head: 'qa', seed: 7 });
    const configPath = join(liar, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(configPath, JSON.stringify({ ...config, hidden_act: 'relu' }));
    const reader = await NeuralReader.load(liar);
    expect(reader.layout).toBe('padded');
    expect(reader.layoutNote).toMatch(/logits differ from .*model\.onnx's by/);
    const reference = await NeuralReader.load(dir, { packed: false });
    const a = await reader.answer(SEED_QUESTION, passages);
    const b = await reference.answer(SEED_QUESTION, passages);
    expect(a.spans).toEqual(b.spans);
    await reader.close();
    await reference.close();
  });
});
