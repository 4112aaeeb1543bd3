import { normalizeQuestion } from '@wendao/text';

/** Alternate questions as the FAQ form edits them: one per line. */
export function parseLines(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * The alternates the form saves (the entry's own question left out, as the API leaves it out) and
 * the lines it leaves out for that reason, for the form to say so. Questions are compared as matching
 * compares them, with the API's own `normalizeQuestion` (@wendao/text, bundled by Vite).
 */
export function alternatesToSave(
  question: string,
  text: string,
): { alternates: string[]; ownQuestion: string[] } {
  const own = normalizeQuestion(question);
  const lines = parseLines(text);
  if (!own) return { alternates: lines, ownQuestion: [] };
  return {
    alternates: lines.filter((l) => normalizeQuestion(l) !== own),
    ownQuestion: lines.filter((l) => normalizeQuestion(l) === own),
  };
}
