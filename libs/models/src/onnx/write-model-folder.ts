/**
 * Writes a model folder the way Hugging Face / sentence-transformers lay one out (model.onnx,
 * config.json, vocab.txt, tokenizer and pooling configs), plus wendao.json recording where the
 * weights came from so a random-weight folder is never mistaken for a trained model.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BertConfig, BertHead, positionOffsetOf, validateBertConfig } from './bert-config';
import { buildBertOnnx } from './bert-graph';
import { BertWeights } from './bert-weights';
import { SPECIAL_TOKENS } from './tiny-vocab';

export interface ModelFolderOptions {
  config: BertConfig;
  weights: BertWeights;
  head: BertHead;
  pooling?: 'mean' | 'cls';
  vocab: string[];
  doLowerCase?: boolean;
  tokenizerJson?: object;
  modelId?: string;
  /** Languages the model serves, recorded in wendao.json. */
  languages?: string[];
  /** Seed of random weights, recorded in wendao.json. */
  seed?: number;
  /** Replaces the default wendao.json provenance fields (e.g. a converter naming its source checkpoint). */
  provenance?: Record<string, unknown>;
}

const ARCHITECTURE_PREFIX: Record<BertConfig['model_type'], string> = {
  bert: 'Bert',
  roberta: 'Roberta',
  'xlm-roberta': 'XLMRoberta',
  distilbert: 'DistilBert',
  electra: 'Electra',
};

const ARCHITECTURE_SUFFIX: Record<BertHead, string> = {
  base: 'Model',
  embedder: 'Model',
  qa: 'ForQuestionAnswering',
  classifier: 'ForSequenceClassification',
};

export async function writeModelFolder(dir: string, opts: ModelFolderOptions): Promise<void> {
  const { config, head, vocab } = opts;
  validateBertConfig(config);
  if (vocab.length !== config.vocab_size) {
    throw new Error(`vocab has ${vocab.length} tokens but config.vocab_size is ${config.vocab_size}`);
  }
  if (new Set(vocab).size !== vocab.length) throw new Error('vocab contains duplicate tokens');
  for (const special of SPECIAL_TOKENS) {
    if (!vocab.includes(special)) throw new Error(`vocab lacks the special token ${special}`);
  }
  const pooling = opts.pooling ?? 'mean';
  const numLabels = opts.weights.get('classifier.weight')?.dims[0];
  const model = buildBertOnnx(config, opts.weights, { head, pooling, numLabels });

  await mkdir(dir, { recursive: true });
  const json = (file: string, value: unknown) => writeFile(join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
  await writeFile(join(dir, 'model.onnx'), model);
  await json('config.json', hfConfig(config, head, numLabels));
  await writeFile(join(dir, 'vocab.txt'), `${vocab.join('\n')}\n`);
  const maxLength = config.max_position_embeddings - positionOffsetOf(config);
  await json('tokenizer_config.json', {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: opts.doLowerCase ?? true,
    model_max_length: maxLength,
    tokenize_chinese_chars: true,
    strip_accents: null,
    unk_token: '[UNK]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    cls_token: '[CLS]',
    mask_token: '[MASK]',
  });
  await json('special_tokens_map.json', {
    unk_token: '[UNK]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    cls_token: '[CLS]',
    mask_token: '[MASK]',
  });
  if (opts.tokenizerJson) await json('tokenizer.json', opts.tokenizerJson);
  if (head === 'embedder') {
    await json('modules.json', [
      { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
      { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
    ]);
    await json('sentence_bert_config.json', { max_seq_length: maxLength, do_lower_case: false });
    await mkdir(join(dir, '1_Pooling'), { recursive: true });
    await json(join('1_Pooling', 'config.json'), {
      word_embedding_dimension: config.hidden_size,
      pooling_mode_cls_token: pooling === 'cls',
      pooling_mode_mean_tokens: pooling === 'mean',
      pooling_mode_max_tokens: false,
      pooling_mode_mean_sqrt_len_tokens: false,
    });
  }
  await json(
    'wendao.json',
    opts.provenance ?? {
      modelId: opts.modelId ?? basename(dir),
      ...(opts.languages ? { languages: opts.languages } : {}),
      head,
      ...(head === 'embedder' ? { pooling } : {}),
      seed: opts.seed ?? null,
      generatedBy: 'wendao random-weight builder',
    },
  );
}

function hfConfig(config: BertConfig, head: BertHead, numLabels: number | undefined): Record<string, unknown> {
  const { architectures, position_offset, ...fields } = config;
  const labels =
    head === 'classifier' && numLabels
      ? {
          id2label: Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [String(i), `LABEL_${i}`])),
          label2id: Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [`LABEL_${i}`, i])),
        }
      : {};
  return {
    architectures: architectures ?? [`${ARCHITECTURE_PREFIX[config.model_type]}${ARCHITECTURE_SUFFIX[head]}`],
    ...fields,
    // Not an HF field: recorded only when it differs from what model_type implies.
    ...(position_offset !== undefined ? { position_offset } : {}),
    position_embedding_type: 'absolute',
    initializer_range: 0.02,
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    torch_dtype: 'float32',
    ...labels,
  };
}
