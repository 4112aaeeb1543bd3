export { splitSentences, type TextSpan } from './sentences';
export { normalizeQuestion, toHalfWidth, isCjkChar, cjkRatio } from './normalize';
