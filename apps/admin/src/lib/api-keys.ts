/**
 * API keys as the API keys page shows them: how a key is named in a sentence (its name and display
 * prefix, as the server names an API key's agent), what it reaches, and the curl line a developer
 * tries a new key with (an ask, or for a viewer key, which may not ask, a read of the FAQ entries).
 */
import type { I18n } from './i18n-context';
import type { UiLanguage } from './i18n';

/** The roles a key may have (never owner: a key cannot manage members or keys); agent by default. */
export const API_KEY_ROLES = ['viewer', 'agent', 'editor'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];
export const DEFAULT_API_KEY_ROLE: ApiKeyRole = 'agent';

/** The longest name of a key, in characters, as the server allows (CreateApiKeyDto). */
export const API_KEY_NAME_MAX = 200;

/** `wdk_AbCdEf…`: the prefix the server keeps, marked as the start of a longer key. */
export function maskApiKey(prefix: string): string {
  return `${prefix}…`;
}

/** How a key is named in a sentence: `shop backend (wdk_AbCdEf…)`, or the masked prefix alone. */
export function apiKeyLabel(k: { name: string; prefix: string }): string {
  const name = k.name.trim();
  return name ? `${name} (${maskApiKey(k.prefix)})` : maskApiKey(k.prefix);
}

/**
 * What a key reaches: every KB of the organisation, or one KB by its label (`labels`: kbLabels of the
 * organisation's KBs); a KB missing from the labels (listed after the page loaded) by its id's start.
 */
export function apiKeyScope(kbId: string | null, labels: Map<string, string>, t: I18n['t']): string {
  if (!kbId) return t('apiKeys.allKbs');
  return labels.get(kbId) ?? t('apiKeys.unlistedKb', { id: kbId.slice(0, 8) });
}

/** A question to try a key with, in the KB's language (a KB in both: the console's). */
export function exampleQuestion(kbLanguage: string | undefined, lang: UiLanguage): string {
  const language = kbLanguage === 'zh' || kbLanguage === 'en' ? kbLanguage : lang;
  return language === 'zh' ? '退货期限是多久？' : 'How long do I have to return an item?';
}

/** `text` as one word for a POSIX shell: single-quoted, its own single quotes closed and escaped. */
function shellWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The curl line that tries a new key on the server at `origin`: an agent or editor key asks `kbId`
 * `question` (POST /api/kbs/:id/ask); a viewer key, which may not ask, reads the KB's FAQ entries.
 * `kbId` null (the organisation has no KB yet): a KB_ID placeholder.
 */
export function apiKeyExample(
  origin: string,
  key: string,
  role: ApiKeyRole,
  kbId: string | null,
  question: string,
): string {
  const kb = `${origin}/api/kbs/${kbId ?? 'KB_ID'}`;
  const auth = `-H ${shellWord(`Authorization: Bearer ${key}`)}`;
  if (role === 'viewer') return `curl -s ${shellWord(`${kb}/faqs`)} ${auth}`;
  const body = JSON.stringify({ question });
  return `curl -s -X POST ${shellWord(`${kb}/ask`)} ${auth} -H 'content-type: application/json' -d ${shellWord(body)}`;
}
