import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dialogueProblems,
  listShopSets,
  loadDialogues,
  loadShopSet,
  questionKey,
  shopSetProblems,
  shopSetToRetrievalSet,
  type ShopSet,
} from './shop-set';

const OUT_OF_DOMAIN = resolve(__dirname, '../../../answer/data/out-of-domain-questions.json');

describe('shop evaluation sets', () => {
  it('has a dev and four test shops per language', () => {
    expect(listShopSets()).toEqual([
      'en-dev',
      'en-test',
      'en-test-b',
      'en-test-c',
      'en-test-d',
      'zh-dev',
      'zh-test',
      'zh-test-b',
      'zh-test-c',
      'zh-test-d',
    ]);
  });

  for (const name of [
    'zh-dev',
    'zh-test',
    'zh-test-b',
    'zh-test-c',
    'zh-test-d',
    'en-dev',
    'en-test',
    'en-test-b',
    'en-test-c',
    'en-test-d',
  ]) {
    describe(name, () => {
      const set = loadShopSet(name); // throws on a broken reference, span or duplicate question

      it('says which language and split it is', () => {
        expect(name.replace(/-[bcd]$/, '')).toBe(`${set.language}-${set.split}`); // zh-test-b, -c, -d: more test shops
      });

      it('has at least 30 FAQs, each with 1-3 alternates and at least 3 customer paraphrases', () => {
        expect(set.faqs.length).toBeGreaterThanOrEqual(30);
        for (const faq of set.faqs) {
          expect(faq.alternates.length, faq.id).toBeGreaterThanOrEqual(1);
          expect(faq.alternates.length, faq.id).toBeLessThanOrEqual(3);
          expect(set.paraphrases.filter((p) => p.faq === faq.id).length, faq.id).toBeGreaterThanOrEqual(3);
        }
      });

      it('has at least 20 out-of-scope questions and 20 span questions over 1-2 policy documents', () => {
        expect(set.outOfScope.length).toBeGreaterThanOrEqual(20);
        expect(set.spans.length).toBeGreaterThanOrEqual(20);
        expect(set.documents.length).toBeGreaterThanOrEqual(1);
        expect(set.documents.length).toBeLessThanOrEqual(2);
        for (const document of set.documents) {
          expect(document.text.length, document.fileName).toBeGreaterThanOrEqual(800);
          expect(document.text.length, document.fileName).toBeLessThanOrEqual(2500);
        }
      });

      it('has no paraphrase equal to an FAQ question or alternate, and no repeated question', () => {
        expect(shopSetProblems(set)).toEqual([]);
        const phrasings = new Set(
          set.faqs.flatMap((faq) => [faq.question, ...faq.alternates]).map(questionKey),
        );
        expect(set.paraphrases.filter((p) => phrasings.has(questionKey(p.question)))).toEqual([]);
      });

      it('turns into a retrieval set with one query per paraphrase', () => {
        const retrieval = shopSetToRetrievalSet(set);
        expect(retrieval.entries).toHaveLength(set.faqs.length);
        expect(retrieval.queries).toHaveLength(set.paraphrases.length);
      });
    });
  }
});

describe('shopSetProblems', () => {
  const broken: ShopSet = {
    name: 'broken',
    language: 'zh',
    split: 'dev',
    description: '',
    faqs: [
      {
        id: 'returns',
        question: '退货期限是多久？',
        alternates: ['几天内可以退'],
        answer: '7天内。',
        tags: [],
      },
      { id: 'returns', question: '运费多少？', alternates: [], answer: '8元。', tags: [] },
    ],
    documents: [{ fileName: 'policy.md', text: '签收后7天内可退货，运费8元。' }],
    paraphrases: [
      { question: '几天内可以退？', faq: 'returns' },
      { question: '怎么换货', faq: 'exchange' },
    ],
    outOfScope: ['怎么换货'],
    spans: [
      { question: '几天可以退？', answer: '七天', document: 'policy.md' },
      { question: '运费？', answer: '8元', document: 'shipping.md' },
    ],
  };

  it('reports duplicate ids, unknown references, missing spans and repeated questions', () => {
    const problems = shopSetProblems(broken).join('\n');
    expect(problems).toContain('FAQ id returns is used twice');
    expect(problems).toContain('repeats an alternate of returns'); // punctuation does not make it new
    expect(problems).toContain('names unknown FAQ exchange');
    expect(problems).toContain('"怎么换货" (out of scope) repeats a paraphrase of exchange');
    expect(problems).toContain('span "七天" is not in policy.md');
    expect(problems).toContain('names unknown document shipping.md');
  });

  it('reports dialogue turns that point nowhere', () => {
    const problems = dialogueProblems(
      {
        id: 'd1',
        shop: 'broken',
        turns: [
          { user: '退货期限？', faq: 'returns' },
          { user: '那换货呢？', faq: 'exchange' },
          { user: '运费呢？', span: '10元', document: 'policy.md' },
        ],
      },
      broken,
    );
    expect(problems).toEqual([
      'dialogue d1 turn 2 names unknown FAQ exchange of broken',
      'dialogue d1 turn 3: span "10元" is not in policy.md',
    ]);
  });
});

describe('follow-up dialogues', () => {
  const all = { zh: loadDialogues('zh'), en: loadDialogues('en') }; // throws on a broken reference

  it("has at least 20 dialogues per language, 2-3 turns each, over that language's shops", () => {
    for (const [language, dialogues] of Object.entries(all)) {
      expect(dialogues.length, language).toBeGreaterThanOrEqual(20);
      expect(new Set(dialogues.map((d) => d.id)).size, language).toBe(dialogues.length);
      for (const dialogue of dialogues) {
        expect(dialogue.shop.startsWith(`${language}-`), dialogue.id).toBe(true);
        expect(dialogue.turns.length, dialogue.id).toBeGreaterThanOrEqual(2);
        expect(dialogue.turns.length, dialogue.id).toBeLessThanOrEqual(3);
      }
    }
  });

  it('covers FAQ, span and out-of-scope turns in both languages', () => {
    for (const dialogues of Object.values(all)) {
      const turns = dialogues.flatMap((d) => d.turns);
      expect(turns.some((t) => 'faq' in t)).toBe(true);
      expect(turns.some((t) => 'span' in t)).toBe(true);
      expect(turns.some((t) => 'outOfScope' in t)).toBe(true);
    }
  });
});

describe('out-of-domain question bank', () => {
  const bank = JSON.parse(readFileSync(OUT_OF_DOMAIN, 'utf8')) as {
    source: string;
    licence: string;
    zh: string[];
    en: string[];
  };

  it('names its sources and licences and holds at least 300 distinct questions per language', () => {
    expect(bank.source).toMatch(/CLINC150/);
    expect(bank.licence).toMatch(/CC BY 3\.0/);
    for (const language of ['zh', 'en'] as const) {
      expect(bank[language].length, language).toBeGreaterThanOrEqual(300);
      expect(new Set(bank[language].map(questionKey)).size, language).toBe(bank[language].length);
    }
  });

  it('shares no question with any shop set', () => {
    const shopQuestions = new Set(
      listShopSets()
        .map((name) => loadShopSet(name))
        .flatMap((set) => [
          ...set.outOfScope,
          ...set.paraphrases.map((p) => p.question),
          ...set.faqs.flatMap((faq) => [faq.question, ...faq.alternates]),
        ])
        .map(questionKey),
    );
    const shared = [...bank.zh, ...bank.en].filter((question) => shopQuestions.has(questionKey(question)));
    expect(shared).toEqual([]);
  });

  it('holds no small talk (greetings, thanks, goodbyes are answered elsewhere)', () => {
    const smallTalk = /^(你好|您好|谢谢|再见|拜拜)|^(hi|hello|hey|thanks|thank you|bye|goodbye)\b/i;
    expect([...bank.zh, ...bank.en].filter((question) => smallTalk.test(question.trim()))).toEqual([]);
  });
});
