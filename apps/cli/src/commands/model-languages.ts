/**
 * `--languages zh,en`: the languages a model serves, recorded in its wendao.json so the server picks
 * it for KBs in those languages (`models pull`, `models convert`).
 */
const CODE = /^[a-z]{2,3}(-[a-z0-9]+)?$|^multilingual$/;

export function parseLanguages(value: string): string[] {
  const languages = value
    .split(',')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  if (languages.length === 0 || !languages.every((l) => CODE.test(l)))
    throw new Error(`--languages takes language codes separated by commas (zh,en), got "${value}"`);
  return languages;
}
