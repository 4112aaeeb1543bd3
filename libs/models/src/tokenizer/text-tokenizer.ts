/**
 * One tokenizer for every model folder: wraps the Rust HF tokenizers, handles truncation itself
 * (reported, never silent) and returns offsets as UTF-16 indexes into the caller's string.
 */
import { Tokenizer, type Encoding } from '@anush008/tokenizers';
import { Tokenizer as JsTokenizer } from '@huggingface/tokenizers';
import { codePointToUtf16Map } from './code-point-offsets';
import { positionLimit } from '../folder/position-limit';
import { readTokenizerFiles, type TokenizerFiles } from './tokenizer-files';

export interface TokenizedText {
  ids: number[];
  /** Tokens as strings (for logs and tests; models only need ids). */
  tokens: string[];
  typeIds: number[];
  attentionMask: number[];
  /** [start, end) in UTF-16 units of the input, so text.slice(start, end) is the token's surface; [0, 0] for special tokens. */
  offsets: Array<[number, number]>;
  specialTokensMask: number[];
  /** True when tokens past maxLength were dropped. */
  truncated: boolean;
}

/** A single sequence's ids with its special tokens, for callers that need no offsets (the encoder). */
export interface TokenIds {
  ids: number[];
  attentionMask: number[];
  /** True when tokens past maxLength were dropped. */
  truncated: boolean;
}

/**
 * Characters outside the Basic Multilingual Plane (emoji, CJK Extension B ...): HF's JS tokenizer
 * does not split supplementary-plane CJK characters the way the Rust one (and BERT) does, so texts
 * holding any always go to the Rust tokenizer.
 */
const ASTRAL = /[\uD800-\uDFFF]/;

/**
 * Texts on which the synchronous tokenizer must give exactly the Rust tokenizer's ids before it is
 * used: scripts, full-width punctuation, emoji, accents, numbers, URLs, case, whitespace, rare
 * characters and an over-long word.
 */
const SYNC_PROBES = [
  '退货期限是多久？我们的退货政策是签收后7天内可申请无理由退货。',
  'How long does a REFUND take? It\'s usually 3-5 business days.',
  '满99元包邮，运费¥12.5（偏远地区除外）！',
  '会员积分 can pay for 运费 吗？ＦＵＬＬ－ＷＩＤＴＨ　ｔｅｘｔ',
  'Émile ordered a crème brûlée for the café — naïve Über façade',
  '谢谢❤️ great service ☺ ✓',
  'https://shop.example.com/returns?id=42 support@example.com +86 400-123-4567',
  '\ttabs\nnewlines   and  spaces\u00a0nbsp\u200bzero-width',
  'rare 㐀䶵 CJK, ㄅㄆㄇ bopomofo, かな カナ, 한국어, Ελληνικά, русский',
  'a'.repeat(120) + ' supercalifragilisticexpialidocious',
  '50% off 2024-11-25 12:30 #order_no: A1B2C3',
  // Longer than any model: a tokenizer.json that carries its own truncation would show here.
  '退货'.repeat(600),
];

export interface TextTokenizerOptions {
  /** Upper bound on sequence length (special tokens included); the model's own limit still applies. */
  maxLength?: number;
}

export interface TokenizeOptions {
  /** Add [CLS] ... [SEP] (or <s> ... </s>); default true. */
  addSpecialTokens?: boolean;
  /** Length limit for this call (special tokens included); default modelMaxLength. */
  maxLength?: number;
}

/** How a question/passage pair is laid out: BERT `[CLS] q [SEP] p [SEP]`, RoBERTa `<s> q </s></s> p </s>`. */
export type PairTemplate = 'bert' | 'roberta';

interface TemplatePiece {
  SpecialToken?: { id: string; type_id: number };
  Sequence?: { id: string; type_id: number };
}

interface PostProcessorJson {
  type?: string;
  single?: TemplatePiece[];
  pair?: TemplatePiece[];
  special_tokens?: Record<string, { ids: number[] }>;
  sep?: [string, number];
  cls?: [string, number];
  processors?: PostProcessorJson[];
}

interface TemplateFacts {
  pairTemplate: PairTemplate;
  clsId?: number;
  sepId?: number;
  pairHasTypeIds: boolean;
}

/** Reads the pair layout and [CLS]/[SEP] ids from tokenizer.json's post_processor. */
function templateFacts(post: PostProcessorJson | null | undefined): TemplateFacts | undefined {
  if (!post) return undefined;
  if (post.type === 'Sequence') {
    for (const inner of post.processors ?? []) {
      const facts = templateFacts(inner);
      if (facts) return facts;
    }
    return undefined;
  }
  if (post.type === 'BertProcessing' || post.type === 'RobertaProcessing') {
    return {
      pairTemplate: post.type === 'BertProcessing' ? 'bert' : 'roberta',
      clsId: post.cls?.[1],
      sepId: post.sep?.[1],
      pairHasTypeIds: post.type === 'BertProcessing',
    };
  }
  if (post.type === 'TemplateProcessing' && post.single) {
    const idOf = (piece?: TemplatePiece) =>
      piece?.SpecialToken ? post.special_tokens?.[piece.SpecialToken.id]?.ids?.[0] : undefined;
    const specials = post.single.filter((p) => p.SpecialToken);
    const pair = post.pair ?? [];
    const a = pair.findIndex((p) => p.Sequence?.id === 'A');
    const b = pair.findIndex((p) => p.Sequence?.id === 'B');
    const between = a >= 0 && b > a ? pair.slice(a + 1, b).filter((p) => p.SpecialToken).length : 1;
    return {
      pairTemplate: between >= 2 ? 'roberta' : 'bert',
      clsId: post.single[0]?.SpecialToken ? idOf(post.single[0]) : undefined,
      sepId: specials.length > 0 ? idOf(specials[specials.length - 1]) : undefined,
      pairHasTypeIds: b >= 0 && (pair[b].Sequence?.type_id ?? 0) !== (pair[a]?.Sequence?.type_id ?? 0),
    };
  }
  return undefined;
}

export class TextTokenizer {
  /** Ids of the tokens the reader needs to lay out question/passage windows itself; -1 when absent. */
  readonly special: { cls: number; sep: number; pad: number; unk: number };
  readonly pairTemplate: PairTemplate;
  /** Longest sequence (special tokens included) this tokenizer produces by default. */
  readonly modelMaxLength: number;
  readonly vocabSize: number;
  /** Whether a pair's second segment gets type id 1 (BERT); RoBERTa-family models take none. */
  readonly hasTokenTypeIds: boolean;
  /** Where the vocabulary came from: the folder's tokenizer.json or one built from vocab.txt. */
  readonly source: TokenizerFiles['source'];

  private specialCount?: number;
  /** HF's pure-JS tokenizer over the same tokenizer.json: ids without a thread hop. */
  private sync?: { tokenizer: JsTokenizer; prefix: number[]; suffix: number[] };

  private constructor(
    private readonly tokenizer: Tokenizer,
    files: TokenizerFiles,
    /** The model folder: prepareSyncIds reads tokenizer.json again (a 250k vocabulary's is ~30 MiB as a JS string). */
    private readonly dir: string,
    opts: TextTokenizerOptions,
  ) {
    const json = JSON.parse(files.tokenizerJson) as {
      post_processor?: PostProcessorJson | null;
      padding?: { pad_id?: number } | null;
      model?: { unk_token?: string; unk_id?: number | null };
    };
    const idOf = (...tokens: Array<string | undefined>): number | undefined => {
      for (const token of tokens) {
        if (token === undefined) continue;
        const id = tokenizer.tokenToId(token);
        if (id !== null && id !== undefined) return id;
      }
      return undefined;
    };
    const facts = templateFacts(json.post_processor);
    const named = files.specialTokens;
    const cls = facts?.clsId ?? idOf(named.cls, '[CLS]', '<s>');
    const sep = facts?.sepId ?? idOf(named.sep, '[SEP]', '</s>');
    if (cls === undefined || sep === undefined) {
      throw new Error(`tokenizer (${files.source}) has no [CLS]/<s> or [SEP]/</s> token`);
    }
    const pad = idOf(named.pad, '[PAD]', '<pad>') ?? json.padding?.pad_id ?? 0;
    const unkFromModel = typeof json.model?.unk_id === 'number' ? json.model.unk_id : undefined;
    const unk = idOf(json.model?.unk_token, named.unk, '[UNK]', '<unk>') ?? unkFromModel ?? -1;
    this.special = { cls, sep, pad, unk };
    this.pairTemplate = facts?.pairTemplate ?? (tokenizer.idToToken(cls) === '<s>' ? 'roberta' : 'bert');
    this.hasTokenTypeIds = facts?.pairHasTypeIds ?? this.pairTemplate === 'bert';
    this.vocabSize = tokenizer.getVocabSize(true);
    this.source = files.source;

    const limits = [files.modelMaxLength, positionLimit(files.modelConfig), opts.maxLength].filter(
      (n): n is number => typeof n === 'number' && n > 0,
    );
    this.modelMaxLength = limits.length > 0 ? Math.min(...limits) : 512;
  }

  /** Loads tokenizer.json from a model folder, or builds the BERT tokenizer from vocab.txt. */
  static load(dir: string, opts: TextTokenizerOptions = {}): TextTokenizer {
    if (opts.maxLength !== undefined && !(Number.isInteger(opts.maxLength) && opts.maxLength >= 3)) {
      throw new RangeError(`maxLength must be an integer >= 3, got ${opts.maxLength}`);
    }
    const files = readTokenizerFiles(dir);
    let tokenizer: Tokenizer;
    try {
      tokenizer = Tokenizer.fromString(files.tokenizerJson);
    } catch (err) {
      throw new Error(`cannot load the tokenizer (${files.source}) in ${dir}: ${(err as Error).message}`);
    }
    // Some exports save a fixed truncation/padding in tokenizer.json; we truncate (and report) ourselves,
    // and callers pad per batch, so neither may happen silently inside the library.
    tokenizer.disableTruncation();
    tokenizer.disablePadding();
    return new TextTokenizer(tokenizer, files, dir, opts);
  }

  async encode(text: string, opts: TokenizeOptions = {}): Promise<TokenizedText> {
    if (typeof text !== 'string') throw new TypeError(`encode() expects a string, got ${typeof text}`);
    const encoding = await this.tokenizer.encode(text, null, { addSpecialTokens: false });
    return this.finish(text, encoding, opts, await this.countSpecials(opts));
  }

  /** Encodes many texts in one call into the Rust library (it parallelises internally). */
  async encodeBatch(texts: string[], opts: TokenizeOptions = {}): Promise<TokenizedText[]> {
    if (!Array.isArray(texts)) throw new TypeError('encodeBatch() expects an array of strings');
    texts.forEach((t, i) => {
      if (typeof t !== 'string') throw new TypeError(`texts[${i}] is not a string (got ${typeof t})`);
    });
    if (texts.length === 0) return [];
    const encodings = await this.tokenizer.encodeBatch(texts, { addSpecialTokens: false });
    const specials = await this.countSpecials(opts);
    return encodings.map((encoding, i) => this.finish(texts[i], encoding, opts, specials));
  }

  /**
   * Turns on encodeIdsSync: loads HF's pure-JS tokenizer from the same tokenizer.json and keeps it
   * only if it gives this tokenizer's ids on every probe text. The Rust library tokenizes on a
   * worker thread; for one short text the hop costs more than the tokenizing (~0.2 ms on a VM).
   * Returns undefined when ready, else why not.
   */
  async prepareSyncIds(): Promise<string | undefined> {
    if (this.sync) return undefined;
    try {
      const js = new JsTokenizer(JSON.parse(readTokenizerFiles(this.dir).tokenizerJson) as object, {});
      const jsIds = (text: string) => js.encode(text, { add_special_tokens: false }).ids;
      for (const text of SYNC_PROBES) {
        const expected = await this.tokenIds(text);
        const actual = jsIds(text);
        if (actual.length !== expected.length || actual.some((id, i) => id !== expected[i])) {
          return `the JS tokenizer gives other ids than the Rust one on ${JSON.stringify(text.slice(0, 40))}`;
        }
      }
      // Where a single sequence's special tokens go: around the ids of a text that has some.
      const body = await this.tokenIds(SYNC_PROBES[0]);
      const plain = await this.tokenizer.encode(SYNC_PROBES[0], null, { addSpecialTokens: false });
      const full = this.tokenizer.postProcess(plain, null, true).getIds();
      const at = full.findIndex((_, i) => body.every((id, j) => full[i + j] === id));
      if (body.length === 0 || at < 0) return 'cannot locate the special tokens of a single sequence';
      this.sync = { tokenizer: js, prefix: full.slice(0, at), suffix: full.slice(at + body.length) };
      return undefined;
    } catch (err) {
      return `the JS tokenizer cannot load this tokenizer.json: ${(err as Error).message}`;
    }
  }

  /** Whether encodeIdsSync can take `text`: prepareSyncIds succeeded and the text has no supplementary-plane characters. */
  canEncodeSync(text: string): boolean {
    return this.sync !== undefined && typeof text === 'string' && !ASTRAL.test(text);
  }

  /** Ids with special tokens, cut at maxLength exactly like encode(), computed on this thread. */
  encodeIdsSync(text: string, opts: TokenizeOptions = {}): TokenIds {
    if (typeof text !== 'string') throw new TypeError(`encodeIdsSync() expects a string, got ${typeof text}`);
    const sync = this.sync;
    if (!sync || !this.canEncodeSync(text)) {
      throw new Error('encodeIdsSync() needs prepareSyncIds() and a text without supplementary-plane characters');
    }
    const { tokenizer, prefix, suffix } = sync;
    const specials = opts.addSpecialTokens === false ? 0 : prefix.length + suffix.length;
    const maxLength = opts.maxLength ?? this.modelMaxLength;
    const budget = maxLength - specials;
    if (!Number.isInteger(maxLength) || budget < 1) {
      throw new RangeError(`maxLength ${maxLength} leaves no room for text after ${specials} special tokens`);
    }
    const body = tokenizer.encode(text, { add_special_tokens: false }).ids;
    const truncated = body.length > budget;
    const kept = truncated ? body.slice(0, budget) : body;
    const ids = opts.addSpecialTokens === false ? kept : [...prefix, ...kept, ...suffix];
    return { ids, attentionMask: ids.map(() => 1), truncated };
  }

  /** Token ids of `text` without special tokens and without truncation. */
  async tokenIds(text: string): Promise<number[]> {
    if (typeof text !== 'string') throw new TypeError(`tokenIds() expects a string, got ${typeof text}`);
    return (await this.tokenizer.encode(text, null, { addSpecialTokens: false })).getIds();
  }

  idToToken(id: number): string | undefined {
    return this.tokenizer.idToToken(id) ?? undefined;
  }

  tokenToId(token: string): number | undefined {
    return this.tokenizer.tokenToId(token) ?? undefined;
  }

  /** Number of special tokens a single sequence gets, learned once from the post-processor itself. */
  private async countSpecials(opts: TokenizeOptions): Promise<number> {
    if (opts.addSpecialTokens === false) return 0;
    if (this.specialCount === undefined) {
      const empty = await this.tokenizer.encode('', null, { addSpecialTokens: false });
      this.specialCount = this.tokenizer.postProcess(empty, null, true).getLength();
    }
    return this.specialCount;
  }

  private finish(text: string, encoding: Encoding, opts: TokenizeOptions, specials: number): TokenizedText {
    const maxLength = opts.maxLength ?? this.modelMaxLength;
    const budget = maxLength - specials;
    if (!Number.isInteger(maxLength) || budget < 1) {
      throw new RangeError(`maxLength ${maxLength} leaves no room for text after ${specials} special tokens`);
    }
    const truncated = encoding.getLength() > budget;
    if (truncated) encoding.truncate(budget, 0, 'right');
    const final = specials > 0 ? this.tokenizer.postProcess(encoding, null, true) : encoding;

    const specialTokensMask = final.getSpecialTokensMask();
    const map = codePointToUtf16Map(text);
    const offsets = final.getOffsets().map(([start, end], i): [number, number] => {
      if (specialTokensMask[i] === 1) return [0, 0];
      return map ? [map[start], map[end]] : [start, end];
    });
    return {
      ids: final.getIds(),
      tokens: final.getTokens(),
      typeIds: final.getTypeIds(),
      attentionMask: final.getAttentionMask(),
      offsets,
      specialTokensMask,
      truncated,
    };
  }
}
