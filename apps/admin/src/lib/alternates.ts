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
 * A question as matching compares it: the console's copy of `normalizeQuestion` (libs/text), which
 * the API uses to drop an alternate asking the entry's own question.
 */
function normalized(question: string): string {
  return question
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s?？!！。.,，;；:：~～]+$/u, '');
}

/**
 * The alternates the form saves (the entry's own question left out, as the API leaves it out) and
 * the lines it leaves out for that reason, for the form to say so.
 */
export function alternatesToSave(
  question: string,
  text: string,
): { alternates: string[]; ownQuestion: string[] } {
  const own = normalized(question);
  const lines = parseLines(text);
  if (!own) return { alternates: lines, ownQuestion: [] };
  return {
    alternates: lines.filter((l) => normalized(l) !== own),
    ownQuestion: lines.filter((l) => normalized(l) === own),
  };
}
