import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFolder, TextTokenizer, tinyVocab, writeTinyModel } from '@wendao/models';

const ids = (rows: number[][]) => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);

describe('writeTinyModel', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wendao-tiny-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes an embedder folder with sentence-transformers files and a loadable model', async () => {
    const dir = join(root, 'embedder');
    await writeTinyModel(dir, { head: 'embedder', seed: 7 });
    const files = await readdir(dir);
    expect(files.sort()).toEqual(
      expect.arrayContaining(['model.onnx', 'config.json', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json', 'modules.json', 'wendao.json', '1_Pooling']),
    );
    expect(files).not.toContain('tokenizer.json');
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ model_type: 'bert', hidden_size: 32, num_hidden_layers: 2, architectures: ['BertModel'] });
    const vocab = (await readFile(join(dir, 'vocab.txt'), 'utf8')).trimEnd().split('\n');
    expect(vocab).toEqual(tinyVocab());
    expect(config.vocab_size).toBe(vocab.length);
    const pooling = JSON.parse(await readFile(join(dir, '1_Pooling', 'config.json'), 'utf8'));
    expect(pooling).toMatchObject({ word_embedding_dimension: 32, pooling_mode_mean_tokens: true, pooling_mode_cls_token: false });
    const marker = JSON.parse(await readFile(join(dir, 'wendao.json'), 'utf8'));
    expect(marker).toMatchObject({ head: 'embedder', seed: 7, generatedBy: 'wendao random-weight builder' });

    const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
    expect(session.inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(session.outputNames).toEqual(['last_hidden_state', 'sentence_embedding']);
    const out = await session.run({
      input_ids: ids([[2, 10, 11, 12, 3]]),
      attention_mask: ids([[1, 1, 1, 1, 1]]),
      token_type_ids: ids([[0, 0, 0, 0, 0]]),
    });
    expect(out.last_hidden_state.dims).toEqual([1, 5, 32]);
    expect(out.sentence_embedding.dims).toEqual([1, 32]);
  });

  it('writes a QA folder whose model has start/end logits and no pooling files', async () => {
    const dir = join(root, 'qa');
    await writeTinyModel(dir, { head: 'qa' });
    const files = await readdir(dir);
    expect(files).not.toContain('modules.json');
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(config.architectures).toEqual(['BertForQuestionAnswering']);
    const tokenizerConfig = JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8'));
    expect(tokenizerConfig).toMatchObject({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512 });
    const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
    expect(session.outputNames).toEqual(['last_hidden_state', 'start_logits', 'end_logits']);
    const out = await session.run({
      input_ids: ids([[2, 10, 3, 11, 12, 3]]),
      attention_mask: ids([[1, 1, 1, 1, 1, 1]]),
      token_type_ids: ids([[0, 0, 0, 1, 1, 1]]),
    });
    expect(out.start_logits.dims).toEqual([1, 6]);
    expect(out.end_logits.dims).toEqual([1, 6]);
    expect(out.start_logits.data).not.toEqual(out.end_logits.data);
  });

  it('drops token_type_ids when type_vocab_size is 0 and writes classifier labels', async () => {
    const dir = join(root, 'cls');
    await writeTinyModel(dir, { head: 'classifier', numLabels: 3, config: { type_vocab_size: 0 } });
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(config.architectures).toEqual(['BertForSequenceClassification']);
    expect(Object.keys(config.id2label)).toHaveLength(3);
    const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
    expect(session.inputNames).toEqual(['input_ids', 'attention_mask']);
    const out = await session.run({ input_ids: ids([[2, 10, 3]]), attention_mask: ids([[1, 1, 1]]) });
    expect(out.logits.dims).toEqual([1, 3]);
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const read = (name: string) => readFile(join(root, name, 'model.onnx'));
    await writeTinyModel(join(root, 'a'), { head: 'qa', seed: 1 });
    await writeTinyModel(join(root, 'b'), { head: 'qa', seed: 1 });
    await writeTinyModel(join(root, 'c'), { head: 'qa', seed: 2 });
    expect(Buffer.compare(await read('a'), await read('b'))).toBe(0);
    expect(Buffer.compare(await read('a'), await read('c'))).not.toBe(0);
  });

  it('rejects a config it cannot build with a clear error', async () => {
    await expect(writeTinyModel(join(root, 'bad'), { head: 'qa', config: { num_attention_heads: 5 } })).rejects.toThrow(
      /not divisible by num_attention_heads/,
    );
  });

  it('loads through the model-folder reader and tokenizes the test FAQ text without [UNK]', async () => {
    const dir = join(root, 'loaded');
    await writeTinyModel(dir, { head: 'embedder', pooling: 'cls' });
    const folder = loadModelFolder(dir);
    expect(folder).toMatchObject({ task: 'embedder', pooling: 'cls', id: 'wendao/tiny-bert-embedder', quantized: false });
    const tokenizer = TextTokenizer.load(dir);
    for (const text of [
      '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。',
      '退货期限是多久？订单满99元包邮',
      'What is the return policy? How long does shipping take?',
    ]) {
      const encoded = await tokenizer.encode(text);
      expect(encoded.tokens).not.toContain('[UNK]');
      expect(encoded.tokens[0]).toBe('[CLS]');
    }
  });
});
