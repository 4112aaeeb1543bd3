/**
 * Reads the block structure of an HTML page (headings, paragraphs, lists, tables, dl/dt/dd,
 * details/summary) with htmlparser2, dropping scripts, styles and navigation. Word documents
 * reach this too, through mammoth's HTML.
 */
import type { ChildNode, Element } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import type { DocumentBlock } from './faq-document-assembler';
import { tableToFaqs } from './faq-columns';

const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'iframe',
  'object',
  'head',
  'nav',
  'button',
  'select',
  'input',
  'textarea',
]);
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'html',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);
const HEADING = /^h([1-6])$/;
const CJK_AROUND =
  /([\u3000-\u303f\u3400-\u9fff\uff00-\uffef])[ \t\r\n\f]*\n[ \t\r\n\f]*(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])/gu;

function isElement(node: ChildNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/**
 * HTML whitespace rules: runs collapse to one space, except a line break between CJK characters vanishes.
 * Non-breaking spaces become plain ones: they only matter for layout, and would split search terms.
 */
function collapse(text: string): string {
  return text.replace(CJK_AROUND, '$1').replace(/[ \t\r\n\f\u00a0]+/g, ' ');
}

function tidy(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/ +/g, ' ').trim())
    .filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n')
    .trim();
}

/** Text of an element's content; nested blocks become separate lines, list items keep their numbers. */
export function textOf(node: ChildNode, pre = false): string {
  if (node.type === 'text') return pre ? node.data : collapse(node.data);
  if (!isElement(node)) return '';
  const name = node.name.toLowerCase();
  if (SKIPPED.has(name)) return '';
  if (name === 'br') return '\n';
  if (name === 'img') return node.attribs.alt ?? '';
  if (name === 'ol' || name === 'ul') return `\n${listText(node)}\n`;
  if (name === 'tr') return `\n${rowCells(node).join(' | ')}\n`;
  const inner = node.children.map((c) => textOf(c, pre || name === 'pre')).join('');
  return BLOCK.has(name) ? `\n${inner}\n` : inner;
}

function listText(list: Element): string {
  const ordered = list.name.toLowerCase() === 'ol';
  let n = Number(list.attribs.start ?? 1) || 1;
  const lines: string[] = [];
  for (const child of list.children) {
    if (!isElement(child) || child.name.toLowerCase() !== 'li') continue;
    const text = tidy(textOf(child));
    if (text) lines.push((ordered ? `${n}. ` : '') + text);
    n++;
  }
  return lines.join('\n');
}

function rowCells(row: Element): string[] {
  return row.children
    .filter((c): c is Element => isElement(c) && /^t[dh]$/i.test(c.name))
    .map((cell) => tidy(textOf(cell)).replace(/\n+/g, ' '));
}

function tableRows(table: Element): string[][] {
  const rows: string[][] = [];
  const visit = (node: Element) => {
    for (const child of node.children) {
      if (!isElement(child)) continue;
      const name = child.name.toLowerCase();
      if (name === 'tr') rows.push(rowCells(child));
      else if (name === 'thead' || name === 'tbody' || name === 'tfoot') visit(child);
    }
  };
  visit(table);
  return rows;
}

export interface HtmlStructure {
  blocks: DocumentBlock[];
  title?: string;
}

export function readHtmlBlocks(html: string): HtmlStructure {
  const dom = parseDocument(html);
  const blocks: DocumentBlock[] = [];
  let title: string | undefined;
  let inline = '';

  const flush = () => {
    const text = tidy(inline);
    inline = '';
    if (text) blocks.push({ kind: 'paragraph', text });
  };

  const walk = (node: ChildNode) => {
    if (node.type === 'text') {
      inline += collapse(node.data);
      return;
    }
    if (!isElement(node)) return;
    const name = node.name.toLowerCase();
    if (name === 'head' || name === 'title') {
      // <head> holds no prose, only the page title (which some pages also put, wrongly, in <body>).
      const el =
        name === 'title'
          ? node
          : node.children.find((c): c is Element => isElement(c) && c.name.toLowerCase() === 'title');
      if (el)
        title ??=
          tidy(el.children.map((c) => (c.type === 'text' ? collapse(c.data) : '')).join('')) || undefined;
      return;
    }
    if (SKIPPED.has(name)) return;
    const heading = HEADING.exec(name);
    if (heading) {
      flush();
      blocks.push({
        kind: 'heading',
        level: Number(heading[1]),
        text: tidy(textOf(node)).replace(/\n+/g, ' '),
      });
      return;
    }
    switch (name) {
      case 'br':
        inline += '\n';
        return;
      case 'img':
        inline += node.attribs.alt ?? '';
        return;
      case 'ul':
      case 'ol':
        flush();
        blocks.push({ kind: 'attached', text: listText(node) });
        return;
      case 'pre':
        flush();
        blocks.push({ kind: 'attached', text: tidy(textOf(node, true)) });
        return;
      case 'table': {
        flush();
        const rows = tableRows(node);
        const table = tableToFaqs(rows, (i) => ({ table: true, row: i }));
        if (table && table.faqs.length + table.warnings.length > 0) blocks.push({ kind: 'faqs', ...table });
        else blocks.push({ kind: 'attached', text: rows.map((r) => r.join(' | ')).join('\n') });
        return;
      }
      case 'dt':
      case 'dd':
        flush();
        blocks.push({ kind: name === 'dt' ? 'term' : 'definition', text: tidy(textOf(node)) });
        return;
      case 'details': {
        flush();
        const summary = node.children.find(
          (c): c is Element => isElement(c) && c.name.toLowerCase() === 'summary',
        );
        const rest = node.children.filter((c) => c !== summary);
        if (summary) blocks.push({ kind: 'term', text: tidy(textOf(summary)) });
        blocks.push({
          kind: summary ? 'definition' : 'paragraph',
          text: tidy(rest.map((c) => textOf(c)).join('\n')),
        });
        return;
      }
    }
    const block = BLOCK.has(name);
    if (block) flush();
    for (const child of node.children) walk(child);
    if (block) flush();
  };

  for (const child of dom.children) walk(child);
  flush();
  if (!title) {
    const h1 = blocks.find((b) => b.kind === 'heading' && b.level === 1);
    if (h1 && h1.kind === 'heading') title = h1.text;
  }
  return { blocks, title };
}
