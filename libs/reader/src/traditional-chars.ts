/**
 * Traditional -> Simplified folding, one character for one character, from OpenCC's dictionaries
 * (opencc-js: Hong Kong and Taiwan variants, then Traditional -> Simplified). Offsets into the
 * folded text are offsets into the original, so the reader's spans and the typed finders' matches
 * stay valid for the text as written.
 */
import { ConverterFactory, Locale } from 'opencc-js/t2cn';

/** The CJK blocks in the BMP (Extension A, Unified Ideographs, Compatibility Ideographs). */
const CJK_BLOCKS: [number, number][] = [
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
];

let folding: { map: Map<string, string>; traditional: RegExp } | undefined;

/**
 * OpenCC's character conversion, read once (about 0.2 s): every BMP ideograph it changes into one
 * other BMP ideograph. Left out: a character it changes into a longer string (a few rare ones
 * whose Simplified form is outside the BMP), and a character that is itself the Simplified form of
 * another (么 is 麼's Simplified form, yet OpenCC, alone, turns it into 幺: folded, 什么 would no
 * longer meet the reader's cues written in Simplified). Phrase-level conversion is not used: it
 * can change a text's length, and what matters here is that both sides fold alike.
 */
function loadFolding(): { map: Map<string, string>; traditional: RegExp } {
  const convert = ConverterFactory(Locale.from.hk, Locale.from.tw, Locale.to.cn);
  const map = new Map<string, string>();
  for (const [first, last] of CJK_BLOCKS) {
    for (let code = first; code <= last; code++) {
      const ch = String.fromCharCode(code);
      const simplified = convert(ch);
      if (simplified !== ch && simplified.length === 1) map.set(ch, simplified);
    }
  }
  const simplifiedForms = new Set(map.values());
  for (const ch of [...map.keys()]) if (simplifiedForms.has(ch)) map.delete(ch);
  return { map, traditional: new RegExp(`[${[...map.keys()].join('')}]`, 'g') };
}

/**
 * The text with its Traditional characters replaced by their Simplified forms (same length). The
 * reader folds every sentence it reads on every question: a native regex scan, not a loop that
 * rebuilds the string a character at a time.
 */
export function foldTraditional(text: string): string {
  folding ??= loadFolding();
  const { map, traditional } = folding;
  return text.replace(traditional, (ch) => map.get(ch)!);
}
