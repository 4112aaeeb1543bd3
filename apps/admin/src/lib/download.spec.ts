import { describe, expect, it } from 'vitest';
import { dispositionFileName } from './download';

describe('dispositionFileName', () => {
  it("reads the server's file name, plain or UTF-8 encoded", () => {
    expect(dispositionFileName('attachment; filename="wendao-messages-2026-11-25-2026-12-08.csv"')).toBe(
      'wendao-messages-2026-11-25-2026-12-08.csv',
    );
    expect(
      dispositionFileName(`attachment; filename="faq.csv"; filename*=UTF-8''%E5%94%AE%E5%90%8E-faqs.csv`),
    ).toBe('售后-faqs.csv');
    expect(dispositionFileName('attachment; filename=report.csv')).toBe('report.csv');
    expect(dispositionFileName('attachment')).toBeUndefined();
    expect(dispositionFileName(null)).toBeUndefined();
  });
});
