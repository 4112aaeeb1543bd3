/**
 * The widget's own UI strings in Chinese and English (data-lang); answers come from the KB as they are.
 */
export type Lang = 'zh' | 'en';

export interface UiStrings {
  title: string;
  open: string;
  close: string;
  placeholder: string;
  send: string;
  typing: string;
  source: string;
  helpful: string;
  notHelpful: string;
  thanks: string;
  /** The talk-to-a-human button's name (its tooltip and aria-label) and the message it sends. */
  human: string;
  /**
   * The words shown beside the button's headset icon; empty where they would not leave room for the
   * whole placeholder in the input row ("Talk to a human" cut it on a 370-px panel; "Agent" fits beside
   * "Ask a question…", and a bare headset was easy to miss).
   */
  humanLabel: string;
  /** Shown above the input while the customer is queued for an agent. */
  waiting: string;
  /** The button that stops waiting (visible words, then its fuller accessible name). */
  cancelWaiting: string;
  cancelWaitingName: string;
  /** Shown above the input while no agent is online and the next message is left for one. */
  leaving: string;
  /** The button that goes back to the bot instead of leaving a message. */
  cancelLeaving: string;
  /** The input's placeholder while leaving a message. */
  leavingPlaceholder: string;
  connecting: string;
  online: string;
  offline: string;
  /** Under a message sent while offline: it waits and goes once the connection is back. */
  queued: string;
  /** The server refused or closed the chat and nothing will retry. */
  unavailable: string;
  /** Why, when the server said the key or the page is not allowed. */
  refused: string;
  greeting: string;
  /** A message refused for coming too fast (rate_limited); the server's reason is in English. */
  tooFast: string;
  /** A message over the server's limit (message_too_long): {length} and {limit} are filled in. */
  tooLong: string;
  /** The server could not take the message (unavailable, internal): try again. */
  failed: string;
  messages: string;
  /** Who said a message, read by screen readers before it (not shown): the customer, the bot. */
  you: string;
  bot: string;
  agent: string;
}

export const STRINGS: Record<Lang, UiStrings> = {
  zh: {
    title: '在线客服',
    open: '打开在线客服',
    close: '关闭客服窗口',
    placeholder: '请输入您的问题…',
    send: '发送',
    typing: '正在输入…',
    source: '查看来源',
    helpful: '有帮助',
    notHelpful: '没有帮助',
    thanks: '感谢您的反馈',
    human: '转人工',
    humanLabel: '转人工',
    waiting: '正在为您转接人工客服，请稍候…',
    cancelWaiting: '取消',
    cancelWaitingName: '取消转人工',
    leaving: '暂无人工客服在线，请留言，我们会尽快回复您。',
    cancelLeaving: '返回智能客服',
    leavingPlaceholder: '请留下您的问题和联系方式…',
    connecting: '正在连接…',
    online: '在线',
    offline: '连接已断开，正在重连…',
    queued: '连接恢复后自动发送',
    unavailable: '客服暂不可用',
    refused: '本页面的在线客服已停用，请通过其他方式联系商家。',
    greeting: '您好！有什么可以帮您？',
    tooFast: '您发送得太快了，请稍等几秒再发送。',
    tooLong: '消息太长了（{length} 字），请删减到 {limit} 字以内再发送。',
    failed: '消息没有发送成功，请稍后再试。',
    messages: '聊天记录',
    you: '我',
    bot: '智能客服',
    agent: '人工客服',
  },
  en: {
    title: 'Customer service',
    open: 'Open the chat',
    close: 'Close the chat',
    placeholder: 'Ask a question…',
    send: 'Send',
    typing: 'Typing…',
    source: 'Show source',
    helpful: 'Helpful',
    notHelpful: 'Not helpful',
    thanks: 'Thanks for your feedback',
    human: 'Talk to a human',
    humanLabel: 'Agent',
    waiting: 'Connecting you to an agent…',
    cancelWaiting: 'Cancel',
    cancelWaitingName: 'Cancel waiting for an agent',
    leaving: "No agent online: leave a message and we'll reply.",
    cancelLeaving: 'Back to the assistant',
    leavingPlaceholder: 'Your message and contact info…',
    connecting: 'Connecting…',
    online: 'Online',
    offline: 'Connection lost, reconnecting…',
    queued: 'Will be sent once reconnected',
    unavailable: 'Chat unavailable',
    refused: 'Chat is not available on this page. Please contact the shop another way.',
    greeting: 'Hello! How can I help you?',
    tooFast: 'You are sending messages too fast. Please wait a few seconds and send it again.',
    tooLong:
      'Your message is too long ({length} characters). Please shorten it to {limit} and send it again.',
    failed: 'Your message could not be sent. Please try again in a moment.',
    messages: 'Conversation',
    you: 'You',
    bot: 'Assistant',
    agent: 'Agent',
  },
};

export function pickLang(value: string | undefined | null): Lang {
  return value && value.toLowerCase().startsWith('en') ? 'en' : 'zh';
}
