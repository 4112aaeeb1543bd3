import { describe, expect, it } from 'vitest';
import { contactDetails } from './contact-details';

describe('contactDetails', () => {
  it('finds a Chinese mobile number and an email in a left message', () => {
    expect(contactDetails('我的订单12345还没发货，请联系我 13800000000 或 li.wei@example.com')).toEqual({
      phones: ['13800000000'],
      emails: ['li.wei@example.com'],
    });
    expect(contactDetails('请回电13912345678谢谢')).toEqual({ phones: ['13912345678'], emails: [] });
  });

  it('reads numbers written with + or separators as phones, bare order numbers not', () => {
    expect(contactDetails('Call me on +44 20 7946 0958 or 020-8888 6666').phones).toEqual([
      '+44 20 7946 0958',
      '020-8888 6666',
    ]);
    expect(contactDetails('订单号 2024120512345，还没到')).toEqual({ phones: [], emails: [] });
    expect(contactDetails('订单 12345 13800000000').phones).toEqual(['13800000000']);
    expect(contactDetails('mail 1234567890@qq.com').phones).toEqual([]);
  });

  it('lists each detail once and finds none in a plain question', () => {
    expect(contactDetails('13800000000，再说一遍 13800000000')).toEqual({
      phones: ['13800000000'],
      emails: [],
    });
    expect(contactDetails('退货期限是多久？')).toEqual({ phones: [], emails: [] });
  });
});
