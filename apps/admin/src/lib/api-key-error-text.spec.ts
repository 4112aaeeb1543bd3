import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { apiKeyErrorText } from './api-key-error-text';
import { translate, type UiLanguage } from './i18n';

const t =
  (lang: UiLanguage) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
    translate(lang, key, vars);

describe('API key error text', () => {
  it('says the KB picked for a new key was deleted meanwhile, in either language', () => {
    const kbGone = new ApiError(404, 'knowledge base 3f0c… not found');
    expect(apiKeyErrorText(kbGone, t('zh'), 'create')).toBe(
      '未能创建 API 密钥：所选的知识库已不存在，可能已被其他管理员删除；请重新选择。',
    );
    expect(apiKeyErrorText(kbGone, t('en'), 'create')).toBe(
      'Could not create the API key: The knowledge base picked no longer exists (another admin may have deleted it); pick another.',
    );
  });

  it('says an organisation gone, a key gone, an owner demoted meanwhile and a network failure', () => {
    const org = new ApiError(404, 'organisation 9a0b… not found');
    expect(apiKeyErrorText(org, t('en'), 'revoke', 'shop (wdk_AbCdEf…)')).toBe(
      'Could not revoke the API key shop (wdk_AbCdEf…): This organisation no longer exists, or you no longer belong to it.',
    );
    expect(apiKeyErrorText(org, t('zh'), 'create')).toBe(
      '未能创建 API 密钥：这个组织已不存在，或你已不再属于它。',
    );
    const gone = new ApiError(404, 'API key 5d1c… not found');
    expect(apiKeyErrorText(gone, t('zh'), 'revoke', 'wdk_AbCdEf…')).toBe(
      '未能撤销 API 密钥 wdk_AbCdEf…：这个密钥已不存在；列表已刷新。',
    );
    const editor = new ApiError(
      403,
      'this needs the owner role (or above) in the organisation; you have editor',
    );
    expect(apiKeyErrorText(editor, t('en'), 'create')).toBe(
      'Could not create the API key: ' +
        translate('en', 'requestError.role', { needed: 'owner', current: 'editor' }),
    );
    expect(apiKeyErrorText(new TypeError('Failed to fetch'), t('zh'), 'revoke', 'k')).toBe(
      `未能撤销 API 密钥 k：${translate('zh', 'requestError.network')}`,
    );
  });
});
