/**
 * Markdown FAQ documents, read with the marked lexer: Q:/A: pairs and question headings become FAQs,
 * the remaining headings and paragraphs become the document text.
 */
import { convert as htmlToText } from 'html-to-text';
// marked 16 ships only ESM; the swc-built CommonJS loads it through Node's require(esm) (Node >= 20.19, see engines).
import { lexer, type Token, type Tokens } from 'marked';
import { decodeText } from './decode-text';
import { assembleDocument, type DocumentBlock } from './faq-document-assembler';
import { tableToFaqs } from './faq-columns';
import { ParseError } from './ingest-errors';
import type { ParseResult } from './parse-result';

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&nbsp;': ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39|nbsp);/g, (e) => ENTITIES[e]);
}

/** Plain text of inline tokens: emphasis and links keep their words, images their alt text. */
function inlineText(tokens: Token[] | undefined, fallback = ''): string {
  if (!tokens) return decodeEntities(fallback);
  return tokens
    .map((t) => {
      switch (t.type) {
        case 'br':
          return '\n';
        case 'html':
          return htmlToText(t.text, { wordwrap: false });
        case 'image':
          return t.text ?? '';
        case 'codespan':
          return t.text;
        default:
          return 'tokens' in t && t.tokens
            ? inlineText(t.tokens as Token[])
            : decodeEntities((t as { text?: string }).text ?? '');
      }
    })
    .join('');
}

function listText(list: Tokens.List, depth = 0): string {
  const start = typeof list.start === 'number' ? list.start : 1;
  return list.items
    .map((item, i) => {
      const marker = list.ordered ? `${start + i}. ` : '';
      const parts = item.tokens.map((t) =>
        t.type === 'list' ? listText(t as Tokens.List, depth + 1) : blockText(t),
      );
      return marker + parts.filter(Boolean).join('\n');
    })
    .join('\n');
}

function tableRows(table: Tokens.Table): string[][] {
  return [table.header, ...table.rows].map((row) =>
    row.map((cell) => inlineText(cell.tokens, cell.text).trim()),
  );
}

function blockText(token: Token): string {
  switch (token.type) {
    case 'paragraph':
    case 'text':
    case 'heading':
      return inlineText((token as Tokens.Paragraph).tokens, (token as Tokens.Paragraph).text);
    case 'list':
      return listText(token as Tokens.List);
    case 'code':
      return (token as Tokens.Code).text;
    case 'blockquote':
      return (token as Tokens.Blockquote).tokens.map(blockText).join('\n');
    case 'table':
      return tableRows(token as Tokens.Table)
        .map((r) => r.join(' | '))
        .join('\n');
    case 'html':
      return htmlToText((token as Tokens.HTML).text, { wordwrap: false });
    default:
      return '';
  }
}

function toBlocks(tokens: Token[], blocks: DocumentBlock[]): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading':
        blocks.push({ kind: 'heading', level: (token as Tokens.Heading).depth, text: blockText(token) });
        break;
      case 'paragraph':
      case 'text':
      case 'html':
        blocks.push({ kind: 'paragraph', text: blockText(token) });
        break;
      case 'blockquote':
        toBlocks((token as Tokens.Blockquote).tokens, blocks);
        break;
      case 'table': {
        const rows = tableRows(token as Tokens.Table);
        const table = tableToFaqs(rows, (i) => ({ table: true, row: i }));
        if (table && table.faqs.length + table.warnings.length > 0) blocks.push({ kind: 'faqs', ...table });
        else blocks.push({ kind: 'attached', text: blockText(token) });
        break;
      }
      case 'list':
      case 'code':
        blocks.push({ kind: 'attached', text: blockText(token) });
        break;
      default:
        break;
    }
  }
}

/** YAML front matter is metadata, not prose; marked would read it as a setext heading. */
function stripFrontMatter(text: string): string {
  const m = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(text);
  return m ? text.slice(m[0].length) : text;
}

export function parseMarkdown(buffer: Buffer, fileName: string): ParseResult {
  const { text, warnings } = decodeText(buffer, fileName);
  if (text.trim() === '') throw new ParseError({ code: 'empty_file', values: { file: fileName } });
  const tokens = lexer(stripFrontMatter(text).replace(/\r\n?/g, '\n'));
  const blocks: DocumentBlock[] = [];
  toBlocks(tokens, blocks);
  const first = blocks.find((b) => b.kind === 'heading');
  const title = first && first.kind === 'heading' && first.level === 1 ? first.text.trim() : undefined;
  const assembled = assembleDocument(blocks, { title });
  return { type: 'markdown', ...assembled, warnings: [...warnings, ...assembled.warnings] };
}
