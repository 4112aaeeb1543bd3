/**
 * Eight shop FAQ topics, each with its answer, for the calibration specs: `topicFaqs` words each as an
 * FAQ entry ("<topic>怎么办理？") with two alternates ("我想<topic>", "<topic>的规定是什么").
 */
const TOPICS = [
  ['退货', '签收后7天内可以无理由退货。'],
  ['换货', '质量问题15天内可以换货。'],
  ['退款', '退款3至5个工作日到账。'],
  ['运费', '满99元包邮，否则运费10元。'],
  ['发票', '在订单详情中申请电子发票。'],
  ['积分', '每消费1元得1积分，100积分抵1元。'],
  ['发货', '付款后48小时内发货。'],
  ['保修', '电子产品保修一年。'],
] as const;

/** The first `entries` topics as FAQ entries, with or without their two alternates. */
export function topicFaqs(
  entries: number = TOPICS.length,
  withAlternates = true,
): { question: string; alternates: string[]; answer: string }[] {
  return TOPICS.slice(0, entries).map(([topic, answer]) => ({
    question: `${topic}怎么办理？`,
    alternates: withAlternates ? [`我想${topic}`, `${topic}的规定是什么`] : [],
    answer,
  }));
}
