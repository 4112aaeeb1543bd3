import { describe, expect, it } from 'vitest';
import { emptyListKey, type EmptyList } from './empty-list';
import { translate } from './i18n';

const LISTS: EmptyList[] = ['kb', 'faq', 'doc', 'intent', 'widget'];

describe('emptyListKey', () => {
  it('tells an editor how to fill an empty list', () => {
    expect(translate('zh', emptyListKey('faq', true))).toBe(
      '还没有问答。可以新建，或上传 CSV/XLSX 批量导入。',
    );
    expect(translate('en', emptyListKey('doc', true))).toBe('No documents yet. Add some on the Upload tab.');
  });

  it('tells a viewer only that the list is empty and who fills it, never to use a button they do not have', () => {
    expect(translate('zh', emptyListKey('faq', false))).toBe(
      '还没有问答。编辑者或所有者添加后会显示在这里。',
    );
    expect(translate('en', emptyListKey('faq', false))).toBe(
      'No FAQs yet. They appear here once an editor or owner adds them.',
    );
    for (const list of LISTS) {
      const zh = translate('zh', emptyListKey(list, false));
      const en = translate('en', emptyListKey(list, false));
      expect(zh).toMatch(/^还没有.+。编辑者或所有者.+后会显示在这里。$/);
      expect(zh).not.toMatch(/新建一个|可以新建|导入|上传”页|点击/);
      expect(en).toMatch(/^No .+ yet\. They appear here once an editor or owner /);
      expect(en).not.toMatch(/Add one|Create one|Click|import|Upload tab/);
    }
  });
});
