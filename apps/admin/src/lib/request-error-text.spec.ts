import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { translate, type UiLanguage } from './i18n';
import {
  csvExportErrorText,
  deleteErrorText,
  faqExportErrorText,
  type DeleteKind,
} from './request-error-text';

const t =
  (lang: UiLanguage) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
    translate(lang, key, vars);
const del = (lang: UiLanguage, err: Error, kind: DeleteKind, name: string) =>
  deleteErrorText(err, t(lang), kind, name);
const csv = (lang: UiLanguage, err: Error) => csvExportErrorText(err, t(lang));

const network = new TypeError('Failed to fetch');
const viewer = new ApiError(
  403,
  "this needs the editor role (or above) in the knowledge base's organisation; you have viewer",
);
const notOwner = new ApiError(
  403,
  "this needs the owner role (or above) in the knowledge base's organisation; you have editor",
);

describe('deletion error text', () => {
  it('says a document another admin deleted meanwhile is gone, not "document … not found"', () => {
    const gone = new ApiError(404, 'document d1 not found in knowledge base k1');
    expect(del('zh', gone, 'doc', 'faq.csv')).toBe(
      '未能删除文档“faq.csv”。它已不存在，可能已被其他管理员删除；列表已刷新。',
    );
    expect(del('en', gone, 'doc', 'faq.csv')).toBe(
      'Could not delete the document “faq.csv”. It no longer exists: another admin may have deleted it. The list has been refreshed.',
    );
  });

  it('says an FAQ entry is gone, and tells a gone KB apart', () => {
    const gone = new ApiError(404, 'FAQ entry f1 not found in knowledge base k1');
    expect(del('zh', gone, 'faq', '运费怎么算？')).toBe(
      '未能删除问答“运费怎么算？”。它已不存在，可能已被其他管理员删除；列表已刷新。',
    );
    expect(del('en', gone, 'faq', '运费怎么算？')).toBe(
      'Could not delete the FAQ “运费怎么算？”. It no longer exists: another admin may have deleted it. The list has been refreshed.',
    );
    const kbGone = new ApiError(404, 'knowledge base k1 not found');
    expect(del('zh', kbGone, 'faq', '运费怎么算？')).toBe(
      '未能删除问答“运费怎么算？”。它所在的知识库已不存在（可能已被其他管理员删除），或你已无权访问。请回到知识库列表。',
    );
    expect(del('en', kbGone, 'doc', 'faq.csv')).toBe(
      'Could not delete the document “faq.csv”. Its knowledge base no longer exists (another admin may have deleted it), or you no longer have access to it. Go back to the list of knowledge bases.',
    );
  });

  it('says a KB is gone', () => {
    const gone = new ApiError(404, 'knowledge base k1 not found');
    expect(del('zh', gone, 'kb', '演示商店')).toBe(
      '未能删除知识库“演示商店”。它已不存在（可能已被其他管理员删除），或你已无权访问它；知识库列表已刷新。',
    );
    expect(del('en', gone, 'kb', 'Demo shop')).toBe(
      'Could not delete the knowledge base “Demo shop”. It no longer exists (another admin may have deleted it), or you no longer have access to it. The list of knowledge bases has been refreshed.',
    );
  });

  it('names the role a refused admin lacks and whom to ask', () => {
    expect(del('zh', viewer, 'doc', 'faq.csv')).toBe(
      '未能删除文档“faq.csv”。这需要编辑者或更高的角色，你的角色是查看者。如确需此操作，请联系组织的所有者。',
    );
    expect(del('en', viewer, 'faq', 'How do I pay?')).toBe(
      'Could not delete the FAQ “How do I pay?”. This needs the editor role or above; yours is viewer. If you need to do this, ask an owner of the organisation.',
    );
    expect(del('zh', notOwner, 'kb', '演示商店')).toBe(
      '未能删除知识库“演示商店”。这需要所有者或更高的角色，你的角色是编辑者。如确需此操作，请联系组织的所有者。',
    );
    expect(del('en', new ApiError(403, 'something else'), 'kb', 'Demo shop')).toBe(
      'Could not delete the knowledge base “Demo shop”. Your role may not do this. If you need to, ask an owner of the organisation.',
    );
    const csrf = new ApiError(403, "the X-CSRF-Token header is not this session's token: send …");
    expect(del('zh', csrf, 'kb', '演示商店')).toBe(
      '未能删除知识库“演示商店”。这个页面的登录凭据已失效，请刷新页面后重试。',
    );
  });

  it('says the server could not be reached, or failed, or the session expired', () => {
    expect(del('zh', network, 'doc', 'faq.csv')).toBe(
      '未能删除文档“faq.csv”。无法连接到服务器。请检查网络连接，或确认问道服务仍在运行，然后重试。',
    );
    expect(del('en', network, 'kb', 'Demo shop')).toBe(
      'Could not delete the knowledge base “Demo shop”. The server could not be reached. Check your network connection, or that the Wendao server is still running, then try again.',
    );
    const down = new ApiError(503, 'Service Unavailable');
    expect(del('zh', down, 'faq', '运费怎么算？')).toBe(
      '未能删除问答“运费怎么算？”。服务器出错（503）。请稍后重试；如果一直如此，请让运维人员查看服务器日志。',
    );
    expect(del('en', down, 'faq', 'How do I pay?')).toBe(
      'Could not delete the FAQ “How do I pay?”. The server failed (503). Try again later; if it keeps failing, ask whoever runs Wendao to check the server log.',
    );
    const expired = new ApiError(401, 'your session has expired or was logged out; log in again');
    expect(del('zh', expired, 'doc', 'faq.csv')).toBe(
      '未能删除文档“faq.csv”。登录已过期，请重新登录后再试。',
    );
    expect(del('en', expired, 'doc', 'faq.csv')).toBe(
      'Could not delete the document “faq.csv”. Your session has expired: sign in again, then try again.',
    );
  });

  it('says why revoking a widget key failed', () => {
    const gone = new ApiError(404, 'widget key 3f2a not found');
    expect(del('zh', gone, 'widgetKey', '商城 (wk_AbCd…2345)')).toBe(
      '未能撤销密钥 商城 (wk_AbCd…2345)。它已不存在，可能已被其他管理员删除；列表已刷新。',
    );
    expect(del('en', gone, 'widgetKey', 'Shop (wk_AbCd…2345)')).toBe(
      'Could not revoke the key Shop (wk_AbCd…2345). It no longer exists: another admin may have deleted it. The list has been refreshed.',
    );
    expect(del('zh', notOwner, 'widgetKey', 'wk_AbCd…2345')).toBe(
      '未能撤销密钥 wk_AbCd…2345。这需要所有者或更高的角色，你的角色是编辑者。如确需此操作，请联系组织的所有者。',
    );
    expect(del('en', network, 'widgetKey', 'wk_AbCd…2345')).toBe(
      'Could not revoke the key wk_AbCd…2345. The server could not be reached. Check your network connection, or that the Wendao server is still running, then try again.',
    );
  });

  it("keeps the API's message as the detail of a refusal it cannot word better", () => {
    const odd = new ApiError(409, 'the document is being re-indexed');
    expect(del('zh', odd, 'doc', 'faq.csv')).toBe(
      '未能删除文档“faq.csv”。服务器拒绝了请求（409）：the document is being re-indexed',
    );
    expect(del('en', odd, 'doc', 'faq.csv')).toBe(
      'Could not delete the document “faq.csv”. The server refused the request (409): the document is being re-indexed',
    );
  });
});

describe('analytics CSV export error text', () => {
  it('says a deleted KB as before', () => {
    const gone = new ApiError(404, 'knowledge base k1 not found');
    expect(csv('zh', gone)).toBe('导出失败：这个知识库已不存在或已被删除，请刷新页面后另选一个知识库。');
    expect(csv('en', gone)).toBe(
      'Export failed: this knowledge base no longer exists or was deleted. Reload the page and pick another one.',
    );
  });

  it('says other failures in the console language, with what to do', () => {
    expect(csv('zh', network)).toBe(
      '导出 CSV 失败。无法连接到服务器。请检查网络连接，或确认问道服务仍在运行，然后重试。',
    );
    expect(csv('en', network)).toBe(
      'Export failed. The server could not be reached. Check your network connection, or that the Wendao server is still running, then try again.',
    );
    const down = new ApiError(500, 'Internal server error');
    expect(csv('zh', down)).toBe(
      '导出 CSV 失败。服务器出错（500）。请稍后重试；如果一直如此，请让运维人员查看服务器日志。',
    );
    expect(csv('en', down)).toBe(
      'Export failed. The server failed (500). Try again later; if it keeps failing, ask whoever runs Wendao to check the server log.',
    );
    const noRole = new ApiError(
      403,
      "this needs the viewer role (or above) in the knowledge base's organisation; you have agent",
    );
    expect(csv('zh', noRole)).toBe(
      '导出 CSV 失败。这需要查看者或更高的角色，你的角色是客服。如确需此操作，请联系组织的所有者。',
    );
    const busy = new ApiError(429, 'Too Many Requests');
    expect(csv('en', busy)).toBe('Export failed. Too many requests: wait a moment, then try again.');
    expect(csv('zh', busy)).toBe('导出 CSV 失败。请求过于频繁，请稍等片刻再试。');
  });
});

describe('FAQ export error text', () => {
  const faqExport = (lang: UiLanguage, err: Error, format: string) =>
    faqExportErrorText(err, t(lang), format);

  it('says a KB deleted meanwhile, a role that may not, a failing or unreachable server', () => {
    const gone = new ApiError(404, 'knowledge base k1 not found');
    expect(faqExport('zh', gone, 'CSV')).toBe(
      '未能将问答导出为 CSV。它所在的知识库已不存在（可能已被其他管理员删除），或你已无权访问。请回到知识库列表。',
    );
    expect(faqExport('en', gone, 'XLSX')).toBe(
      'Could not export the FAQs as XLSX. Its knowledge base no longer exists (another admin may have deleted it), or you no longer have access to it. Go back to the list of knowledge bases.',
    );
    const noRole = new ApiError(
      403,
      "this needs the viewer role (or above) in the knowledge base's organisation; you have agent",
    );
    expect(faqExport('zh', noRole, 'JSON')).toBe(
      '未能将问答导出为 JSON。这需要查看者或更高的角色，你的角色是客服。如确需此操作，请联系组织的所有者。',
    );
    expect(faqExport('en', noRole, 'JSON')).toBe(
      'Could not export the FAQs as JSON. This needs the viewer role or above; yours is agent. If you need to do this, ask an owner of the organisation.',
    );
    const down = new ApiError(500, 'Internal server error');
    expect(faqExport('zh', down, 'XLSX')).toBe(
      '未能将问答导出为 XLSX。服务器出错（500）。请稍后重试；如果一直如此，请让运维人员查看服务器日志。',
    );
    expect(faqExport('en', network, 'CSV')).toBe(
      'Could not export the FAQs as CSV. The server could not be reached. Check your network connection, or that the Wendao server is still running, then try again.',
    );
  });
});
