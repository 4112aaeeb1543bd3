export { splitSentences, type TextSpan } from './sentences';
export {
  normalizeQuestion,
  toHalfWidth,
  isCjkChar,
  cjkRatio,
  dominantLanguage,
  writtenInChinese,
  CHINESE_TEXT_CJK_RATIO,
} from './normalize';
export { guessHeadings } from './headings';
