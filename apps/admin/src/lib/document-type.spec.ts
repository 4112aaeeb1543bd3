import { describe, expect, it } from 'vitest';
import { documentTypeLabel } from './document-type';

describe('documentTypeLabel', () => {
  it('writes Markdown as a name and the abbreviations in capitals', () => {
    expect(documentTypeLabel('markdown')).toBe('Markdown');
    expect(['pdf', 'docx', 'csv', 'xlsx', 'json', 'html', 'txt'].map(documentTypeLabel)).toEqual([
      'PDF',
      'DOCX',
      'CSV',
      'XLSX',
      'JSON',
      'HTML',
      'TXT',
    ]);
  });
});
