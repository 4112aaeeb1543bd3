/**
 * The synthetic shop knowledge base the API benches load (api.bench, scale.bench): numbered
 * products, facts about them in Chinese, FAQ entries, the questions asked of the facts, and the
 * `wendao-kb` export document that POST /api/kbs/import reads.
 */

export const PRODUCTS = [
  '蓝牙耳机',
  '智能手表',
  '空气净化器',
  '电动牙刷',
  '咖啡机',
  '登山背包',
  '机械键盘',
  '扫地机器人',
];

/** Facts about product `p` with the number `n` in them (warranty months, return days ...). */
export const FACTS = [
  (p: string, n: number) => `${p}的保修期是${n}个月，保修期从签收之日起计算。`,
  (p: string, n: number) => `${p}签收后${n}天内可以申请无理由退货，请保持包装完整。`,
  (p: string, n: number) => `${p}从杭州仓库发货，一般${n}天内送达。`,
  (p: string, n: number) => `购买${p}满${n * 10}元可以使用店铺优惠券。`,
  (p: string, n: number) => `${p}的电池可以连续使用${n}小时，充满电需要两小时。`,
];

/** Questions the first four FACTS answer, about product `p`. */
export const QUESTIONS = [
  (p: string) => `${p}的保修期是多久？`,
  (p: string) => `${p}几天内可以退货？`,
  (p: string) => `${p}多久能送达？`,
  (p: string) => `${p}的电池能用多长时间？`,
];

export interface ShopFaq {
  question: string;
  alternates: string[];
  answer: string;
}

/** `count` FAQ entries, each about its own numbered product, with two alternate phrasings. */
export function shopFaqs(count: number): ShopFaq[] {
  return Array.from({ length: count }, (_, i) => {
    const product = `${PRODUCTS[i % PRODUCTS.length]}${i}号`;
    const topic = ['发票怎么开', '运费怎么算', '能不能分期付款', '怎么联系售后'][i % 4];
    return {
      question: `${product}${topic}？`,
      alternates: [`请问${product}${topic}`, `${product} ${topic}`],
      answer: `${product}的${topic.replace(/怎么|能不能/, '')}请在订单详情页办理，或联系在线客服。`,
    };
  });
}

/** The one TXT document of an exported KB, already cut into passages. */
export interface ExportedDocument {
  fileName: string;
  sha256: string;
  sizeBytes: number;
  passages: string[];
}

/**
 * A Chinese KB in the export format POST /api/kbs/import reads (default thresholds, every FAQ
 * entry enabled); passage i stands at offset i·1000 of its document.
 */
export function exportedKb(name: string, faqs: ShopFaq[], document?: ExportedDocument) {
  return {
    format: 'wendao-kb',
    formatVersion: 1,
    knowledgeBase: { name, language: 'zh', faqThreshold: null, answerThreshold: null, settings: {} },
    documents: document
      ? [
          {
            fileName: document.fileName,
            type: 'txt',
            mime: 'text/plain',
            sha256: document.sha256,
            sizeBytes: document.sizeBytes,
            passages: document.passages.map((text, i) => ({
              text,
              start: i * 1000,
              end: i * 1000 + text.length,
            })),
          },
        ]
      : [],
    faqs: faqs.map((f) => ({ ...f, tags: [], enabled: true, document: null })),
  };
}
