/**
 * The language a question without letters (an order number, `48`, an emoji) is answered in. Its
 * words say nothing of it (writtenInChinese reads one as English), so the asker's language decides:
 * the widget's, the console's or `--language`; unknown, Chinese, as the dialogue before a customer
 * writes words. The REST ask (for a mixed KB) and `wendao ask` both decide here, so they agree.
 */
export function letterlessReplyLanguage(
  question: string,
  askerLanguage?: 'zh' | 'en',
): 'zh' | 'en' | undefined {
  // A question with letters is read, and answered, in its own language.
  if (/\p{L}/u.test(question)) return undefined;
  return askerLanguage ?? 'zh';
}
