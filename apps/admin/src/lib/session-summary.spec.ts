import { describe, expect, it } from 'vitest';
import type { DeskMessage } from './agent-desk';
import { formatTime } from './dates';
import { translate, type UiLanguage } from './i18n';
import { sessionSummary } from './session-summary';

const t =
  (lang: UiLanguage) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
    translate(lang, key, vars);

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 14, minute)).toISOString();
const message = (
  seq: number,
  role: DeskMessage['role'],
  text: string,
  minute: number,
  event?: string,
): DeskMessage => ({ sessionId: 's1', seq, role, text, createdAt: at(minute), ...(event ? { event } : {}) });

describe('sessionSummary', () => {
  const refund = [
    message(1, 'customer', '我上周买的羽绒服  想退货，但是吊牌已经剪掉了，还能退吗？另外运费谁出？', 0),
    message(2, 'bot', '抱歉，没有找到相关答案。', 0),
    message(3, 'customer', '人工', 1),
    message(4, 'bot', '正在为您转接人工客服，请稍候。', 2, 'queued'),
  ];

  it('tells two sessions apart by the first words, the start and the wait (zh)', () => {
    const summary = sessionSummary(refund, Date.parse(at(9)), t('zh'), 'zh');
    expect(summary.opening).toBe('我上周买的羽绒服 想退货，但是吊牌已经剪掉了，还能退吗？另外运费谁出？');
    expect(summary.meta).toBe(`${formatTime(at(0), 'zh')} 开始 · 顾客已等待回复 7 分钟`);

    const shipping = [
      message(1, 'customer', 'Where is my parcel? I ordered it ten days ago and nothing has arrived yet', 5),
    ];
    const other = sessionSummary(shipping, Date.parse(at(5)) + 20_000, t('en'), 'en');
    expect(other.opening).toBe('Where is my parcel? I ordered it ten day…');
    expect(other.meta).toBe(`Started ${formatTime(at(5), 'en')} · Customer waiting under a minute`);
  });

  it('says no wait once an agent has written, and counts again from the customer’s next message', () => {
    const answered = [...refund, message(5, 'agent', '您好，我来帮您看看。', 3)];
    expect(sessionSummary(answered, Date.parse(at(9)), t('en'), 'en').meta).toBe(
      `Started ${formatTime(at(0), 'en')}`,
    );
    const again = [...answered, message(6, 'customer', '好的', 4), message(7, 'customer', '在吗？', 6)];
    expect(sessionSummary(again, Date.parse(at(9)), t('en'), 'en').meta).toBe(
      `Started ${formatTime(at(0), 'en')} · Customer waiting for a reply for 5 min`,
    );
  });
});
