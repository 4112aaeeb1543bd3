/** A document's type as people write it: Markdown is a name, the others are abbreviations (PDF, DOCX, CSV). */
export function documentTypeLabel(type: string): string {
  return type === 'markdown' ? 'Markdown' : type.toUpperCase();
}
