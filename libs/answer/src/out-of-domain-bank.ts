/**
 * The bundled bank of out-of-domain questions (other domains, general knowledge, requests a shop bot
 * cannot serve) in Chinese and English: the negatives threshold calibration holds a KB's scores
 * against. Sources and licences are recorded in the file itself and in libs/eval/data/README.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const FILE = join('libs', 'answer', 'data', 'out-of-domain-questions.json');

export interface OutOfDomainBank {
  zh: string[];
  en: string[];
}

let cached: OutOfDomainBank | undefined;

/** Finds the bank beside the sources or the build output (dist/ mirrors the source tree). */
function locate(): string {
  const local = join(__dirname, '..', 'data', 'out-of-domain-questions.json');
  if (existsSync(local)) return local;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, FILE);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`the out-of-domain question bank (${FILE}) is missing`);
}

export function outOfDomainBank(): OutOfDomainBank {
  if (!cached) {
    const raw = JSON.parse(readFileSync(locate(), 'utf8')) as Partial<OutOfDomainBank>;
    if (!Array.isArray(raw.zh) || !Array.isArray(raw.en))
      throw new Error(`${FILE} needs "zh" and "en" lists`);
    cached = { zh: raw.zh, en: raw.en };
  }
  return cached;
}

/** The bank's questions for a KB language ('mixed' takes both). */
export function outOfDomainQuestions(language: 'zh' | 'en' | 'mixed'): string[] {
  const bank = outOfDomainBank();
  return language === 'zh' ? bank.zh : language === 'en' ? bank.en : [...bank.zh, ...bank.en];
}
