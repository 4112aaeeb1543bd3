/**
 * FAQ entries as a CSV file the importer reads back (question, answer, alternates and tags
 * separated by "|", the column names libs/ingest recognises). A BOM makes Excel read it as UTF-8.
 */
export interface CsvFaq {
  question: string;
  answer: string;
  alternates: string[];
  tags: string[];
  enabled: boolean;
}

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function faqsToCsv(faqs: CsvFaq[]): string {
  const lines = [['question', 'answer', 'alternates', 'tags', 'enabled'].join(',')];
  for (const faq of faqs)
    lines.push(
      [faq.question, faq.answer, faq.alternates.join('|'), faq.tags.join('|'), String(faq.enabled)]
        .map(cell)
        .join(','),
    );
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** One alternate question per line; blank lines and repeats dropped. */
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
