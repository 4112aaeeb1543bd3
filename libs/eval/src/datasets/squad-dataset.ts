/**
 * SQuAD-format reading-comprehension files (SQuAD v1.1, CMRC 2018, DRCD share the layout
 * data[].paragraphs[].{context, qas[].{id, question, answers[].{text, answer_start}}}).
 */
import { readFileSync } from 'node:fs';

/** One question over one context with its gold answers. */
export interface QaExample {
  id: string;
  question: string;
  context: string;
  /** Index of the context among all distinct paragraphs of the file (for building a passage KB). */
  contextIndex: number;
  title: string;
  answers: string[];
  answerStarts: number[];
}

export interface QaDataset {
  examples: QaExample[];
  /** Every paragraph of the file, in file order; `QaExample.contextIndex` points here. */
  contexts: string[];
}

interface SquadJson {
  data?: Array<{
    title?: string;
    paragraphs?: Array<{
      context?: string;
      qas?: Array<{
        id?: string | number;
        question?: string;
        answers?: Array<{ text?: string; answer_start?: number }>;
      }>;
    }>;
  }>;
}

/** Parses SQuAD-format JSON; questions without any gold answer are skipped (v1.1 scoring needs one). */
export function parseSquadJson(json: unknown, source = 'SQuAD JSON'): QaDataset {
  const data = (json as SquadJson)?.data;
  if (!Array.isArray(data)) throw new Error(`${source}: not SQuAD format (no top-level "data" array)`);
  const examples: QaExample[] = [];
  const contexts: string[] = [];
  for (const article of data) {
    for (const paragraph of article.paragraphs ?? []) {
      if (typeof paragraph.context !== 'string')
        throw new Error(`${source}: a paragraph has no context string`);
      const contextIndex = contexts.push(paragraph.context) - 1;
      for (const qa of paragraph.qas ?? []) {
        const answers = (qa.answers ?? []).filter((a) => typeof a.text === 'string' && a.text.trim() !== '');
        if (typeof qa.question !== 'string' || answers.length === 0) continue;
        examples.push({
          id: String(qa.id ?? `${contextIndex}-${examples.length}`),
          question: qa.question,
          context: paragraph.context,
          contextIndex,
          title: article.title ?? '',
          answers: answers.map((a) => a.text!),
          answerStarts: answers.map((a) => a.answer_start ?? -1),
        });
      }
    }
  }
  return { examples, contexts };
}

export function loadSquadFile(path: string): QaDataset {
  return parseSquadJson(JSON.parse(readFileSync(path, 'utf8')), path);
}
