/**
 * @wendao/models: model folders, tokenizers and the ONNX BERT builder used by tests, benchmarks and converters.
 */
export * from './onnx';
export {
  TextTokenizer,
  type TokenizedText,
  type TextTokenizerOptions,
  type TokenizeOptions,
  type PairTemplate,
} from './tokenizer/text-tokenizer';
export {
  buildBertTokenizerJson,
  parseVocabTxt,
  type BertTokenizerJson,
  type BertTokenizerOptions,
} from './tokenizer/bert-tokenizer-json';
