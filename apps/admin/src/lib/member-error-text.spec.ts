import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { translate, type UiLanguage } from './i18n';
import { memberErrorText, type MemberAction } from './member-error-text';

const t =
  (lang: UiLanguage) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
    translate(lang, key, vars);
const text = (lang: UiLanguage, err: Error, action: MemberAction, who: string) =>
  memberErrorText(err, t(lang), action, who);

const lastOwner = new ApiError(409, 'the organisation must keep an owner: make someone else owner first');

describe('member error text', () => {
  it('says the last owner cannot be demoted or removed, in either language', () => {
    expect(text('zh', lastOwner, 'role', 'owner@shop.cn')).toBe(
      '未能更改 owner@shop.cn 的角色：组织必须保留至少一位所有者；请先把另一位成员设为所有者。',
    );
    expect(text('en', lastOwner, 'remove', 'Wang Li')).toBe(
      'Could not remove Wang Li: The organisation must keep an owner: make another member owner first.',
    );
  });

  it('says why an add was refused: already a member, no account without a password, a bad password or email', () => {
    const already = new ApiError(409, 'li@shop.cn is already a member of this organisation');
    expect(text('zh', already, 'add', 'li@shop.cn')).toBe('未能添加 li@shop.cn：此人已是这个组织的成员。');
    const needs = new ApiError(400, 'no user has the email li@shop.cn yet: give a password to create one');
    expect(text('en', needs, 'add', 'li@shop.cn')).toBe(
      'Could not add li@shop.cn: No account has this email yet: give an initial password to create one.',
    );
    const short = new ApiError(400, 'password must be longer than or equal to 8 characters');
    expect(text('zh', short, 'add', 'li@shop.cn')).toBe('未能添加 li@shop.cn：初始密码至少需要 8 个字符。');
    const email = new ApiError(400, 'email must be an email');
    expect(text('en', email, 'add', 'li')).toBe('Could not add li: That is not a valid email address.');
  });

  it('says a member removed meanwhile, an organisation gone, a role too low and a network failure', () => {
    const gone = new ApiError(404, 'user 5d1c… is not a member of this organisation');
    expect(text('zh', gone, 'remove', 'li@shop.cn')).toBe(
      '未能移除 li@shop.cn：此人已不是这个组织的成员，可能已被其他管理员移除；列表已刷新。',
    );
    const org = new ApiError(404, 'organisation 9a0b… not found');
    expect(text('en', org, 'role', 'li')).toBe(
      "Could not change li's role: This organisation no longer exists, or you no longer belong to it.",
    );
    const editor = new ApiError(
      403,
      'this needs the owner role (or above) in the organisation; you have editor',
    );
    expect(text('zh', editor, 'add', 'li')).toBe(
      '未能添加 li：这需要所有者或更高的角色，你的角色是编辑者。如确需此操作，请联系组织的所有者。',
    );
    expect(text('en', new TypeError('Failed to fetch'), 'remove', 'li')).toMatch(/^Could not remove li: /);
  });
});
