/**
 * Builds the Hugging Face tokenizer.json of a BERT WordPiece tokenizer from vocab.txt alone, the way
 * `BertTokenizerFast` converts a slow tokenizer, so checkpoints without tokenizer.json load too.
 */

export interface BertTokenizerOptions {
  /** tokenizer_config.json `do_lower_case`; BERT's default is true. */
  lowercase?: boolean;
  /** `strip_accents`; null/undefined follows `lowercase`, as in BertNormalizer. */
  stripAccents?: boolean | null;
  /** `tokenize_chinese_chars`: put spaces around every CJK ideograph (one token each). */
  tokenizeChineseChars?: boolean;
  unkToken?: string;
  clsToken?: string;
  sepToken?: string;
  padToken?: string;
  maskToken?: string;
  /** Longer words become [UNK] (BERT uses 100). */
  maxInputCharsPerWord?: number;
}

/** The parts of tokenizer.json we produce; the Rust library parses the full schema. */
export interface BertTokenizerJson {
  version: '1.0';
  truncation: null;
  padding: null;
  added_tokens: Array<{
    id: number;
    content: string;
    single_word: boolean;
    lstrip: boolean;
    rstrip: boolean;
    normalized: boolean;
    special: boolean;
  }>;
  normalizer: Record<string, unknown>;
  pre_tokenizer: Record<string, unknown>;
  post_processor: Record<string, unknown>;
  decoder: Record<string, unknown>;
  model: {
    type: 'WordPiece';
    unk_token: string;
    continuing_subword_prefix: string;
    max_input_chars_per_word: number;
    vocab: Record<string, number>;
  };
}

/** Reads vocab.txt content: one token per line, the line number is the id. */
export function parseVocabTxt(content: string): string[] {
  const lines = content.split(/\r?\n/);
  // A final newline does not add an (empty) token.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function buildBertTokenizerJson(vocab: string[], opts: BertTokenizerOptions = {}): BertTokenizerJson {
  if (!Array.isArray(vocab) || vocab.length === 0) throw new Error('BERT vocabulary is empty');
  const unk = opts.unkToken ?? '[UNK]';
  const cls = opts.clsToken ?? '[CLS]';
  const sep = opts.sepToken ?? '[SEP]';
  const pad = opts.padToken ?? '[PAD]';
  const mask = opts.maskToken ?? '[MASK]';

  // Later duplicates win, like the Python loader's dict assignment.
  const ids: Record<string, number> = {};
  vocab.forEach((token, id) => (ids[token] = id));
  for (const [name, token] of [
    ['unk_token', unk],
    ['cls_token', cls],
    ['sep_token', sep],
  ] as const) {
    if (ids[token] === undefined) throw new Error(`BERT vocabulary has no ${name} "${token}"`);
  }

  const added_tokens = [pad, unk, cls, sep, mask]
    .filter((t, i, all) => ids[t] !== undefined && all.indexOf(t) === i)
    .map((content) => ({
      id: ids[content],
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    }))
    .sort((a, b) => a.id - b.id);

  const lowercase = opts.lowercase ?? true;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens,
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: opts.tokenizeChineseChars ?? true,
      strip_accents: opts.stripAccents ?? null,
      lowercase,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: cls, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: sep, type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: cls, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: sep, type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: sep, type_id: 1 } },
      ],
      special_tokens: {
        [cls]: { id: cls, ids: [ids[cls]], tokens: [cls] },
        [sep]: { id: sep, ids: [ids[sep]], tokens: [sep] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: unk,
      continuing_subword_prefix: '##',
      max_input_chars_per_word: opts.maxInputCharsPerWord ?? 100,
      vocab: ids,
    },
  };
}
