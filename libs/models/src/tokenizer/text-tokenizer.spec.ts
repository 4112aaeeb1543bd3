import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBertTokenizerJson, parseVocabTxt } from './bert-tokenizer-json';
import { syntheticVocab } from '../onnx/write-random-model';
import { TextTokenizer, type TokenizedText } from './text-tokenizer';

// A tiny Chinese/English BERT vocabulary; ids are the line numbers.
const VOCAB = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]',
  '运', '费', '多', '少', '退', '货', '，', '。', '？', '！',
  'hello', 'world', 'how', 'much', 'is', 'shipping', 'cafe', 'café', '##s', 'ship', '##ping', '?', ',', '.',
]; // prettier-ignore

// tokenizer.json as Hugging Face's BertTokenizerFast saves it (written out by hand, not by our builder).
function hfBertTokenizerJson(lowercase: boolean): string {
  const vocab = Object.fromEntries(VOCAB.map((t, i) => [t, i]));
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  });
}

// An XLM-R style folder: SentencePiece Unigram with Metaspace and a RoBERTa pair layout.
function xlmrTokenizerJson(): string {
  const special = (content: string, id: number) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const sequence = (id: string) => ({ Sequence: { id, type_id: 0 } });
  const token = (id: string) => ({ SpecialToken: { id, type_id: 0 } });
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special('<s>', 0), special('<pad>', 1), special('</s>', 2), special('<unk>', 3)],
    normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [token('<s>'), sequence('A'), token('</s>')],
      pair: [token('<s>'), sequence('A'), token('</s>'), token('</s>'), sequence('B'), token('</s>')],
      special_tokens: {
        '<s>': { id: '<s>', ids: [0], tokens: ['<s>'] },
        '</s>': { id: '</s>', ids: [2], tokens: ['</s>'] },
      },
    },
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    model: {
      type: 'Unigram',
      unk_id: 3,
      byte_fallback: false,
      vocab: [
        ['<s>', 0],
        ['<pad>', 0],
        ['</s>', 0],
        ['<unk>', 0],
        ['▁', -2],
        ['运', -3],
        ['费', -3],
        ['▁运费', -1],
        ['多少', -2],
        ['▁hello', -1],
      ],
    },
  });
}

const surfaces = (text: string, t: TokenizedText) =>
  t.offsets.map(([s, e], i) => (t.specialTokensMask[i] ? null : text.slice(s, e)));

describe('TextTokenizer (BERT WordPiece)', () => {
  let root: string;
  let fromJson: TextTokenizer;
  let fromVocab: TextTokenizer;
  let cased: TextTokenizer;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'wendao-tok-'));
    const dir = (name: string, files: Record<string, string>) => {
      const d = join(root, name);
      rmSync(d, { recursive: true, force: true });
      mkdirSync(d);
      for (const [file, content] of Object.entries(files)) writeFileSync(join(d, file), content);
      return d;
    };
    const config = JSON.stringify({ model_type: 'bert', max_position_embeddings: 512 });
    fromJson = TextTokenizer.load(
      dir('json', {
        'tokenizer.json': hfBertTokenizerJson(true),
        'tokenizer_config.json': '{"model_max_length": 512}',
        'config.json': config,
      }),
    );
    fromVocab = TextTokenizer.load(
      dir('vocab', {
        'vocab.txt': VOCAB.join('\n') + '\n',
        'tokenizer_config.json': '{"do_lower_case": true, "model_max_length": 512}',
        'config.json': config,
      }),
    );
    cased = TextTokenizer.load(
      dir('cased', {
        'vocab.txt': VOCAB.join('\n'),
        'tokenizer_config.json': '{"do_lower_case": false, "strip_accents": false}',
      }),
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const cases: Array<[string, string, string[]]> = [
    ['Chinese: one token per character', '运费多少？', ['运', '费', '多', '少', '？']],
    ['English: lowercased, accents stripped, WordPiece', 'Hello World Cafés', ['hello', 'world', 'cafe', '##s']],
    ['mixed Chinese and English', '退货how much is shipping?', ['退', '货', 'how', 'much', 'is', 'shipping', '?']],
    ['full-width punctuation splits', '运费，多少。退货！', ['运', '费', '，', '多', '少', '。', '退', '货', '！']],
    ['unknown words become [UNK]', 'hello zebra', ['hello', '[UNK]']],
    ['emoji becomes [UNK]', '😀运费', ['[UNK]', '运', '费']],
  ];

  for (const [name, text, expected] of cases) {
    it(name, async () => {
      for (const tok of [fromJson, fromVocab]) {
        const t = await tok.encode(text);
        expect(t.tokens).toEqual(['[CLS]', ...expected, '[SEP]']);
        expect(t.ids[0]).toBe(2);
        expect(t.ids[t.ids.length - 1]).toBe(3);
        expect(t.specialTokensMask).toEqual([1, ...expected.map(() => 0), 1]);
        expect(t.attentionMask.every((m) => m === 1)).toBe(true);
        expect(t.typeIds.every((m) => m === 0)).toBe(true);
        expect(t.truncated).toBe(false);
      }
    });
  }

  it('gives the same ids and offsets from tokenizer.json and from vocab.txt alone', async () => {
    const texts = cases.map((c) => c[1]).concat(['𠀀運費 Ｈｅｌｌｏ  [MASK] world', '']);
    expect(await fromVocab.encodeBatch(texts)).toEqual(await fromJson.encodeBatch(texts));
  });

  it('returns UTF-16 offsets that slice the original surface text, emoji and CJK extension B included', async () => {
    // 'Café😀' without the space would be one word, hence one [UNK], as in BERT.
    const text = '😀运费 Café 😀，𠀀多少';
    const t = await fromJson.encode(text);
    expect(t.tokens).toEqual(['[CLS]', '[UNK]', '运', '费', 'cafe', '[UNK]', '，', '[UNK]', '多', '少', '[SEP]']);
    expect(surfaces(text, t)).toEqual([null, '😀', '运', '费', 'Café', '😀', '，', '𠀀', '多', '少', null]);
    expect(t.offsets[0]).toEqual([0, 0]);
    expect(t.offsets[1]).toEqual([0, 2]);
    expect(t.offsets[7]).toEqual([13, 15]);
  });

  it('follows do_lower_case=false and strip_accents=false from tokenizer_config.json', async () => {
    expect((await cased.encode('Hello hello café')).tokens).toEqual(['[CLS]', '[UNK]', 'hello', 'café', '[SEP]']);
  });

  it('truncates at maxLength, keeps the closing [SEP] and reports it', async () => {
    const t = await fromVocab.encode('运费多少退货', { maxLength: 5 });
    expect(t.tokens).toEqual(['[CLS]', '运', '费', '多', '[SEP]']);
    expect(t.truncated).toBe(true);
    const fits = await fromVocab.encode('运费多', { maxLength: 5 });
    expect(fits.truncated).toBe(false);
    expect(fits.tokens).toEqual(['[CLS]', '运', '费', '多', '[SEP]']);
    const bare = await fromVocab.encode('运费多少退货', { maxLength: 2, addSpecialTokens: false });
    expect(bare.tokens).toEqual(['运', '费']);
    expect(bare.truncated).toBe(true);
  });

  it('applies the load-time maxLength as the default limit', async () => {
    const dir = join(root, 'vocab');
    const short = TextTokenizer.load(dir, { maxLength: 4 });
    expect(short.modelMaxLength).toBe(4);
    const t = await short.encode('运费多少');
    expect(t.tokens).toEqual(['[CLS]', '运', '费', '[SEP]']);
    expect(t.truncated).toBe(true);
  });

  it('tokenIds() has no special tokens and no truncation', async () => {
    const short = TextTokenizer.load(join(root, 'vocab'), { maxLength: 4 });
    expect(await short.tokenIds('运费多少')).toEqual([5, 6, 7, 8]);
  });

  it('describes the BERT pair layout and special ids for the reader', () => {
    for (const tok of [fromJson, fromVocab]) {
      expect(tok.pairTemplate).toBe('bert');
      expect(tok.special).toEqual({ cls: 2, sep: 3, pad: 0, unk: 1 });
      expect(tok.hasTokenTypeIds).toBe(true);
      expect(tok.vocabSize).toBe(VOCAB.length);
      expect(tok.modelMaxLength).toBe(512);
    }
  });

  it('rejects non-string input and impossible lengths with clear errors', async () => {
    await expect(fromJson.encode(42 as unknown as string)).rejects.toThrow(/expects a string/);
    await expect(fromJson.encodeBatch(['ok', null as unknown as string])).rejects.toThrow(/texts\[1\]/);
    await expect(fromJson.encode('运费', { maxLength: 2 })).rejects.toThrow(/leaves no room/);
    expect(() => TextTokenizer.load(join(root, 'vocab'), { maxLength: 0 })).toThrow(/maxLength/);
  });

  it('ignores truncation and padding saved in tokenizer.json, so truncation is never silent', async () => {
    const json = JSON.parse(hfBertTokenizerJson(true));
    json.truncation = { direction: 'Right', max_length: 4, strategy: 'LongestFirst', stride: 0 };
    json.padding = {
      strategy: { Fixed: 16 },
      direction: 'Right',
      pad_to_multiple_of: null,
      pad_id: 0,
      pad_type_id: 0,
      pad_token: '[PAD]',
    };
    const dir = join(root, 'fixed');
    mkdirSync(dir);
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
    const tok = TextTokenizer.load(dir, { maxLength: 6 });
    const t = await tok.encode('运费多少退货');
    expect(t.tokens).toEqual(['[CLS]', '运', '费', '多', '少', '[SEP]']);
    expect(t.truncated).toBe(true);
    expect((await tok.encodeBatch(['运费']))[0].ids).toEqual([2, 5, 6, 3]);
  });

  it('names the missing files when a folder has no tokenizer', () => {
    expect(() => TextTokenizer.load(root)).toThrow(/tokenizer\.json or vocab\.txt/);
  });
});

describe('TextTokenizer (XLM-R style tokenizer.json)', () => {
  let root: string;
  let tok: TextTokenizer;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'wendao-xlmr-'));
    writeFileSync(join(root, 'tokenizer.json'), xlmrTokenizerJson());
    writeFileSync(
      join(root, 'config.json'),
      JSON.stringify({ model_type: 'xlm-roberta', max_position_embeddings: 514, type_vocab_size: 1 }),
    );
    writeFileSync(
      join(root, 'special_tokens_map.json'),
      JSON.stringify({ cls_token: '<s>', sep_token: '</s>', pad_token: '<pad>', unk_token: '<unk>' }),
    );
    tok = TextTokenizer.load(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads <s>, </s>, <pad>, <unk> and the RoBERTa pair layout', () => {
    expect(tok.special).toEqual({ cls: 0, sep: 2, pad: 1, unk: 3 });
    expect(tok.pairTemplate).toBe('roberta');
    expect(tok.hasTokenTypeIds).toBe(false);
    // 514 positions minus RoBERTa's padding offset.
    expect(tok.modelMaxLength).toBe(512);
  });

  it('wraps the text in <s> ... </s> with offsets into the original string', async () => {
    const text = '😀运费多少 hello';
    const t = await tok.encode(text);
    expect(t.ids).toEqual([0, 4, 3, 5, 6, 8, 9, 2]);
    expect(t.tokens[0]).toBe('<s>');
    expect(t.tokens[t.tokens.length - 1]).toBe('</s>');
    expect(surfaces(text, t)).toEqual([null, '😀', '😀', '运', '费', '多少', ' hello', null]);
  });
});

describe('buildBertTokenizerJson', () => {
  it('keeps vocab.txt line numbers as ids and refuses vocabularies without [UNK]/[CLS]/[SEP]', () => {
    const json = buildBertTokenizerJson(parseVocabTxt('[PAD]\n[UNK]\n[CLS]\n[SEP]\n运\n'));
    expect(json.model.vocab).toEqual({ '[PAD]': 0, '[UNK]': 1, '[CLS]': 2, '[SEP]': 3, 运: 4 });
    expect(json.added_tokens.map((t) => t.content)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]']);
    expect(() => buildBertTokenizerJson(['[PAD]', '[UNK]', '[SEP]'])).toThrow(/cls_token "\[CLS\]"/);
    expect(() => buildBertTokenizerJson([])).toThrow(/empty/);
  });
});

describe('TextTokenizer.encodeIdsSync (HF JS tokenizer on the calling thread)', () => {
  let root: string;
  const load = (name: string, tokenizerJson: string, config: object = { model_type: 'bert' }) => {
    const d = join(root, name);
    mkdirSync(d);
    writeFileSync(join(d, 'tokenizer.json'), tokenizerJson);
    writeFileSync(join(d, 'config.json'), JSON.stringify(config));
    return TextTokenizer.load(d);
  };
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'wendao-sync-tok-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** encode()'s ids, attention mask and truncation flag: what encodeIdsSync must reproduce. */
  const viaRust = async (tok: TextTokenizer, text: string, opts = {}) => {
    const t = await tok.encode(text, opts);
    return { ids: t.ids, attentionMask: t.attentionMask, truncated: t.truncated };
  };

  it('gives encode()’s ids, special tokens and truncation for a BERT tokenizer', async () => {
    const tok = load('bert', hfBertTokenizerJson(true));
    expect(tok.canEncodeSync('运费')).toBe(false);
    expect(await tok.prepareSyncIds()).toBeUndefined();
    const texts = ['运费多少？', 'Hello World Cafés', '退货how much is shipping?', 'hello zebra', '', '  '];
    for (const text of texts) expect(tok.encodeIdsSync(text), text).toEqual(await viaRust(tok, text));
    const long = '运费，多少。退货！hello world';
    expect(tok.encodeIdsSync(long, { maxLength: 6 })).toEqual(await viaRust(tok, long, { maxLength: 6 }));
    expect(tok.encodeIdsSync(long, { maxLength: 6 }).truncated).toBe(true);
    expect(tok.encodeIdsSync(long, { addSpecialTokens: false })).toEqual(
      await viaRust(tok, long, { addSpecialTokens: false }),
    );
    expect(() => tok.encodeIdsSync(long, { maxLength: 2 })).toThrow(/leaves no room/);
  });

  it('leaves texts with supplementary-plane characters to the Rust tokenizer', async () => {
    // BERT splits CJK Extension B characters one by one; HF's JS tokenizer does not.
    const tok = load('astral', hfBertTokenizerJson(true));
    expect(await tok.prepareSyncIds()).toBeUndefined();
    expect(tok.canEncodeSync('运费😀')).toBe(false);
    expect(tok.canEncodeSync('𠀀𠀁')).toBe(false);
    expect(() => tok.encodeIdsSync('𠀀𠀁')).toThrow(/supplementary-plane/);
    expect((await tok.encode('𠀀𠀁')).tokens).toEqual(['[CLS]', '[UNK]', '[UNK]', '[SEP]']);
  });

  it('puts RoBERTa-style <s> ... </s> around the ids of a SentencePiece tokenizer', async () => {
    const tok = load('xlmr', xlmrTokenizerJson(), { model_type: 'xlm-roberta', max_position_embeddings: 514 });
    expect(await tok.prepareSyncIds()).toBeUndefined();
    for (const text of ['运费多少', 'hello 运费', '']) {
      const ids = tok.encodeIdsSync(text);
      expect(ids, text).toEqual(await viaRust(tok, text));
      expect(ids.ids[0]).toBe(0);
      expect(ids.ids[ids.ids.length - 1]).toBe(2);
    }
  });

  it('agrees with the Rust tokenizer on thousands of real Chinese and English questions and passages', async () => {
    const tok = load('bert-chinese', JSON.stringify(buildBertTokenizerJson(syntheticVocab(21128), { lowercase: true })));
    expect(await tok.prepareSyncIds()).toBeUndefined();
    const datasets = resolve(__dirname, '../../../../../shared/datasets');
    const texts = readFileSync(join(datasets, 'lcqmc', 'dev.tsv'), 'utf8')
      .split('\n')
      .slice(0, 1500)
      .flatMap((line) => line.split('\t').slice(0, 2));
    const squad = JSON.parse(readFileSync(join(datasets, 'squad_v1.1', 'dev-v1.1.json'), 'utf8')) as {
      data: Array<{ paragraphs: Array<{ context: string; qas: Array<{ question: string }> }> }>;
    };
    for (const article of squad.data.slice(0, 8)) {
      for (const p of article.paragraphs) texts.push(p.context, ...p.qas.map((q) => q.question));
    }
    const usable = texts.filter((t) => tok.canEncodeSync(t));
    expect(usable.length).toBeGreaterThan(3000);
    const rust = await tok.encodeBatch(usable);
    const mismatches = usable.filter((t, i) => tok.encodeIdsSync(t).ids.join() !== rust[i].ids.join());
    expect(mismatches).toEqual([]);
  });
});
