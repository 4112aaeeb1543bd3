import { describe, expect, it } from 'vitest';
import { NOTICE_MS, noticeData } from './notify';

describe('notices', () => {
  it('keeps an error open until closed, announced as an alert', () => {
    expect(noticeData('error', 'Network error')).toMatchObject({
      color: 'red',
      role: 'alert',
      autoClose: false,
      withCloseButton: true,
    });
  });

  it('keeps a success long enough to read (not 2.5 s), announced politely', () => {
    expect(NOTICE_MS).toBeGreaterThanOrEqual(5_000);
    expect(noticeData('success', '已保存，立即生效')).toMatchObject({
      color: 'teal',
      role: 'status',
      autoClose: NOTICE_MS,
    });
    expect(noticeData('info', '客户已取消排队', { title: '排队' })).toMatchObject({
      role: 'status',
      title: '排队',
      autoClose: NOTICE_MS,
    });
  });

  it('keeps a warning 10 s, or until closed when it asks for something', () => {
    expect(noticeData('warning', 'GBK')).toMatchObject({
      color: 'yellow',
      role: 'status',
      autoClose: 10_000,
    });
    expect(noticeData('warning', 'skipped rows', { stay: true }).autoClose).toBe(false);
  });
});
