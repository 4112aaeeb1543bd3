import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { translate, type UiLanguage } from './i18n';
import {
  agentErrorText,
  askErrorText,
  classifyErrorText,
  csvExportErrorText,
  deleteErrorText,
  editGoneText,
  faqExportErrorText,
  kbCreateErrorText,
  settingsSaveErrorText,
  widgetKeySaveErrorText,
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
      '未能将问答导出为 CSV。这个知识库已不存在（可能已被其他管理员删除），或你已无权访问。请回到知识库列表。',
    );
    expect(faqExport('en', gone, 'XLSX')).toBe(
      'Could not export the FAQs as XLSX. This knowledge base no longer exists (another admin may have deleted it), or you no longer have access to it. Go back to the list of knowledge bases.',
    );
    const noRole = new ApiError(
      403,
      "this needs the viewer role (or above) in the knowledge base's organisation; you have agent",
    );
    expect(faqExport('zh', noRole, 'JSON')).toBe(
      '未能将整个知识库导出为 JSON 文件。这需要查看者或更高的角色，你的角色是客服。如确需此操作，请联系组织的所有者。',
    );
    expect(faqExport('en', noRole, 'JSON')).toBe(
      'Could not export the whole knowledge base as a JSON file. This needs the viewer role or above; yours is agent. If you need to do this, ask an owner of the organisation.',
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

describe('errors of a KB created, settings saved, a sentence classified, a question asked', () => {
  const kbGone = new ApiError(404, 'knowledge base k1 not found');

  it('says why a new KB was refused: the organisation gone, a role that may not, the server unreachable', () => {
    const orgGone = new ApiError(404, 'organisation o1 not found');
    expect(kbCreateErrorText(orgGone, t('zh'))).toBe(
      '未能创建知识库。所选的组织已不存在，或你已不是它的成员。请刷新页面后重试。',
    );
    expect(kbCreateErrorText(orgGone, t('en'))).toBe(
      'Could not create the knowledge base. The organisation picked no longer exists, or you are no longer a member of it. Reload the page and try again.',
    );
    expect(kbCreateErrorText(notOwner, t('zh'))).toBe(
      '未能创建知识库。这需要所有者或更高的角色，你的角色是编辑者。如确需此操作，请联系组织的所有者。',
    );
    expect(kbCreateErrorText(network, t('en'))).toBe(
      'Could not create the knowledge base. The server could not be reached. Check your network connection, or that the Wendao server is still running, then try again.',
    );
  });

  it('says a settings save refused: the KB gone, a role, a refusal as a detail', () => {
    expect(settingsSaveErrorText(kbGone, t('zh'))).toBe(
      '未能保存设置。这个知识库已不存在（可能已被其他管理员删除），或你已无权访问。请回到知识库列表。',
    );
    expect(settingsSaveErrorText(kbGone, t('en'))).toBe(
      'Could not save the settings. This knowledge base no longer exists (another admin may have deleted it), or you no longer have access to it. Go back to the list of knowledge bases.',
    );
    expect(settingsSaveErrorText(viewer, t('en'))).toBe(
      'Could not save the settings. This needs the editor role or above; yours is viewer. If you need to do this, ask an owner of the organisation.',
    );
    expect(settingsSaveErrorText(new ApiError(503, 'database unavailable'), t('zh'))).toBe(
      '未能保存设置。服务器出错（503）。请稍后重试；如果一直如此，请让运维人员查看服务器日志。',
    );
  });

  it('says a KB name another KB of the organisation has, on creation and on rename', () => {
    const taken = new ApiError(
      409,
      'the organisation already has a knowledge base named "售后"',
      'kb_name_taken',
      {
        name: '售后',
      },
    );
    expect(kbCreateErrorText(taken, t('zh'))).toBe(
      '未能创建知识库。这个组织已有名为“售后”的知识库（不区分大小写）。请换一个名称，以便在列表和分析中区分。',
    );
    expect(settingsSaveErrorText(taken, t('en'))).toBe(
      'Could not save the settings. The organisation already has a knowledge base named "售后" (in any case). Pick another name, so the list and analytics can tell them apart.',
    );
  });

  it('says a classify error in the console language', () => {
    expect(classifyErrorText(kbGone, t('zh'))).toBe(
      '未能识别这句话。这个知识库已不存在（可能已被其他管理员删除），或你已无权访问。请回到知识库列表。',
    );
    expect(classifyErrorText(network, t('en'))).toBe(
      'Could not classify the sentence. The server could not be reached. Check your network connection, or that the Wendao server is still running, then try again.',
    );
    expect(classifyErrorText(new ApiError(429, 'Too Many Requests'), t('zh'))).toBe(
      '未能识别这句话。请求过于频繁，请稍等片刻再试。',
    );
  });

  it("says the test console's refusals: too long, no words, the KB gone, the server failing", () => {
    const long = new ApiError(400, 'question is too long (1200 characters; the limit is 1000)');
    expect(askErrorText(long, t('zh'))).toBe('问题太长（1200 个字符，上限 1000 个）。');
    expect(askErrorText(long, t('en'))).toBe(
      'The question is too long (1200 characters; the limit is 1000).',
    );
    const noWords = new ApiError(400, 'question has no words in it');
    expect(askErrorText(noWords, t('zh'))).toBe('问题里没有文字（只有标点或符号）。');
    expect(askErrorText(kbGone, t('en'))).toBe(
      'Could not ask the question. This knowledge base no longer exists (another admin may have deleted it), or you no longer have access to it. Go back to the list of knowledge bases.',
    );
    expect(askErrorText(new ApiError(502, 'Bad Gateway'), t('zh'))).toBe(
      '未能提问。服务器出错（502）。请稍后重试；如果一直如此，请让运维人员查看服务器日志。',
    );
  });
});

describe('widget key save error text', () => {
  it('says a key gone or revoked meanwhile, a role, and keeps a refused origin only as a detail', () => {
    const gone = new ApiError(404, 'widget key w1 not found');
    expect(widgetKeySaveErrorText(gone, t('zh'), false)).toBe('未能保存密钥。这个密钥已不存在。');
    expect(widgetKeySaveErrorText(gone, t('en'), false)).toBe(
      'Could not save the key. This key no longer exists.',
    );
    const revoked = new ApiError(409, 'widget key w1 is revoked: create a new key instead');
    expect(widgetKeySaveErrorText(revoked, t('zh'), false)).toBe(
      '未能保存密钥。这个密钥已被撤销，不能再修改。如需要，请新建一个密钥。',
    );
    expect(widgetKeySaveErrorText(viewer, t('zh'), true)).toBe(
      '未能创建密钥。这需要编辑者或更高的角色，你的角色是查看者。如确需此操作，请联系组织的所有者。',
    );
    const origin = new ApiError(400, 'allowedOrigins: ftp://x is not an http(s) origin');
    expect(widgetKeySaveErrorText(origin, t('zh'), true)).toBe(
      '未能创建密钥。服务器拒绝了请求（400）：allowedOrigins: ftp://x is not an http(s) origin',
    );
  });
});

describe('an edit form whose FAQ entry or intent was deleted meanwhile', () => {
  it('is said with the list reloaded; its KB gone, an example gone or another failure is not this', () => {
    const faqGone = new ApiError(404, 'FAQ entry f1 not found in knowledge base k1');
    expect(editGoneText(faqGone, t('zh'), 'faq')).toBe(
      '这条问答已不存在，可能已被其他管理员删除；列表已刷新。',
    );
    expect(editGoneText(faqGone, t('en'), 'faq')).toBe(
      'This FAQ entry no longer exists: another admin may have deleted it. The list has been refreshed.',
    );
    const intentGone = new ApiError(404, 'intent 3 not found');
    expect(editGoneText(intentGone, t('zh'), 'intent')).toBe(
      '这个意图已不存在，可能已被其他管理员删除；列表已刷新。',
    );
    expect(editGoneText(intentGone, t('en'), 'intent')).toBe(
      'This intent no longer exists: another admin may have deleted it. The list has been refreshed.',
    );
    expect(editGoneText(new ApiError(404, 'knowledge base k1 not found'), t('zh'), 'faq')).toBeUndefined();
    expect(editGoneText(new ApiError(404, 'example 7 not found'), t('zh'), 'intent')).toBeUndefined();
    expect(editGoneText(viewer, t('zh'), 'faq')).toBeUndefined();
    expect(editGoneText(network, t('zh'), 'faq')).toBeUndefined();
  });
});

describe('agent console error text', () => {
  it('says chat refusals by their code in the console language', () => {
    const notYours = { code: 'forbidden', message: 'session s1 is not with you: take it first (agent:take)' };
    expect(agentErrorText(notYours, t('zh'))).toBe(
      '这个会话不在你这里：它已由其他客服接入，或你还没有接入它。',
    );
    expect(agentErrorText(notYours, t('en'))).toBe(
      'This session is not with you: another agent has taken it, or you have not taken it yet.',
    );
    const role = {
      code: 'forbidden',
      message: 'serving customers needs the agent role (or above) in an organisation',
    };
    expect(agentErrorText(role, t('zh'))).toBe(
      '接待客户需要客服或更高的角色。如确需此操作，请联系组织的所有者。',
    );
    const signedOut = { code: 'forbidden', message: 'you have signed out: sign in again to serve customers' };
    expect(agentErrorText(signedOut, t('zh'))).toBe('登录已过期，请重新登录后再试。');
    const removed = {
      code: 'forbidden',
      message:
        'you no longer serve the customers of an organisation (removed, or your role there is below agent): open the console again',
    };
    expect(agentErrorText(removed, t('zh'))).toBe(
      '你已不再接待这个组织的客户（已被移出组织，或角色已低于客服）。请重新打开客服台。',
    );
    expect(agentErrorText({ code: 'not_found', message: 'session s1 does not exist' }, t('zh'))).toBe(
      '这个会话已不存在或已结束。',
    );
    const long = {
      code: 'message_too_long',
      message: 'agent:message is too long (2100 characters; the limit is 2000)',
      values: { length: 2100, limit: 2000 },
    };
    expect(agentErrorText(long, t('zh'))).toBe('消息太长（2100 个字符，上限 2000 个）。');
    expect(agentErrorText(long, t('en'))).toBe(
      'The message is too long (2100 characters; the limit is 2000).',
    );
    expect(agentErrorText({ code: 'rate_limited', message: 'too many messages' }, t('zh'))).toBe(
      '请求过于频繁，请稍等片刻再试。',
    );
    expect(agentErrorText({ code: 'unavailable', message: 'the database is unavailable' }, t('zh'))).toBe(
      '数据库暂时不可用，请稍后重试。',
    );
  });

  it("says a failed connection (socket.io's connect_error) and a failed inbox request", () => {
    const refused = Object.assign(new Error('too many connections'), {
      data: { code: 'rate_limited', message: 'too many connections from your address' },
    });
    expect(agentErrorText(refused, t('zh'))).toBe('请求过于频繁，请稍等片刻再试。');
    expect(agentErrorText(new Error('websocket error'), t('zh'))).toBe(
      '无法连接到服务器。请检查网络连接，或确认问道服务仍在运行，然后重试。',
    );
    expect(agentErrorText(new ApiError(404, 'left message s1/3 not found'), t('zh'))).toBe(
      '这条留言已不存在。',
    );
    expect(agentErrorText(new ApiError(500, 'Internal server error'), t('en'))).toBe(
      'The server failed (500). Try again later; if it keeps failing, ask whoever runs Wendao to check the server log.',
    );
  });
});
