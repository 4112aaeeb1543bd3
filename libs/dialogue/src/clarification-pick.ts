/**
 * Which offered option a reply to a clarification chose: its number ("2", "2."), an ordinal ("第二个",
 * "the second one"), the option's text (or most of it), or the quick-reply id the widget sent.
 */
import type { PendingClarification } from './session-state';

const ZH_ORDINALS = ['一', '二', '三', '四', '五'];
const EN_ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

export const clarifyQuickReplyId = (faqId: string) => `faq:${faqId}`;

const key = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');

export function pickClarification(
  pending: PendingClarification,
  text: string,
  quickReplyId?: string,
): PendingClarification['options'][number] | null {
  const { options } = pending;
  if (quickReplyId) {
    const chosen = options.find((o) => clarifyQuickReplyId(o.faqId) === quickReplyId);
    if (chosen) return chosen;
  }
  const reply = key(text);
  if (!reply) return null;
  const byIndex = (i: number) => (i >= 0 && i < options.length ? options[i] : null);
  const number = reply.match(/^(?:第|no|number|option)?([1-9])(?:个|条|项|种|st|nd|rd|th)?(?:吧|吗)?$/u);
  if (number) return byIndex(Number(number[1]) - 1);
  const zh = reply.match(/^(?:是|要|选)?第([一二三四五])(?:个|条|项|种)?(?:问题)?(?:吧|啊)?$/u);
  if (zh) return byIndex(ZH_ORDINALS.indexOf(zh[1]));
  const en = reply.match(/^(?:the)?(first|second|third|fourth|fifth)(?:one)?(?:please)?$/u);
  if (en) return byIndex(EN_ORDINALS.indexOf(en[1]));
  if (/^(?:后一个|后面那个|最后一个|thelastone|thelast|last|thelatter|latter)$/u.test(reply))
    return options[options.length - 1];
  if (/^(?:前一个|前面那个|theformer|former)$/u.test(reply)) return options[0];
  // The option's text: the whole question, or a reply that is most of it or holds it.
  const exact = options.find((o) => key(o.question) === reply);
  if (exact) return exact;
  const containing = options.filter((o) => {
    const q = key(o.question);
    return reply.includes(q) || (reply.length >= Math.max(4, q.length * 0.6) && q.includes(reply));
  });
  return containing.length === 1 ? containing[0] : null;
}
