/**
 * Words too common in customer-service questions to say what a question is about, in Chinese and
 * English. Kept deliberately small: BM25's IDF already discounts common words, this list only removes
 * the ones that would otherwise add noise to every query ("请问…吗", "how do I … the …").
 */

// Particles, pronouns, connectives, question scaffolding and generic modal verbs.
const CHINESE =
  '的 了 吗 呢 吧 啊 呀 哦 嘛 么 是 我 你 您 他 她 它 们 我们 你们 他们 咱们 在 和 与 及 或 也 都 就 还 这 那 这个 那个 这样 之 着 把 被 给 个 ' +
  '请 请问 怎么 怎样 如何 什么 怎么样 能 能否 可以 会 要 想 有 没 一下 一个 哪 呗 哈 嗯';

// Articles, auxiliaries, pronouns, prepositions, conjunctions, greetings.
const ENGLISH =
  'a an the is are was were be been am do does did to of in on at for by with from and or but if so it its ' +
  'this that these those i you we they he she me my your our their us them what how can could would should ' +
  'will may there here as about into please hi hello any some have has get want need just';

export const STOPWORDS: ReadonlySet<string> = new Set([...CHINESE.split(' '), ...ENGLISH.split(' ')]);
