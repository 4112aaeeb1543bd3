/**
 * Turns the block structure of a prose document (Markdown, HTML, Word, text, PDF) into FAQ entries and
 * the plain text of what is left. Format parsers only produce blocks; the FAQ rules live here once.
 */
import type { IngestWarning } from './ingest-warning';
import { isQuestionLike, stripAnswerPrefix, stripQuestionPrefix } from './question-markers';
import type { DocumentSection, ParsedDocument, ParsedFaq } from './parse-result';

/**
 * `paragraph` starts a new thought; `attached` (lists, tables, code) continues an open answer;
 * `term`/`definition` come from <dt>/<dd> and <summary>/<details>; `faqs` are rows of an FAQ table.
 */
export type DocumentBlock =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'attached'; text: string }
  | { kind: 'term'; text: string }
  | { kind: 'definition'; text: string }
  | { kind: 'faqs'; faqs: ParsedFaq[]; warnings: IngestWarning[] };

export interface AssembledDocument {
  faqs: ParsedFaq[];
  document: ParsedDocument | null;
  warnings: IngestWarning[];
}

interface PendingHeading {
  level: number;
  text: string;
}

function clean(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

class Assembler {
  readonly faqs: ParsedFaq[] = [];
  readonly warnings: IngestWarning[] = [];
  private text = '';
  private readonly sections: DocumentSection[] = [];
  private pendingHeadings: PendingHeading[] = [];
  /** Enclosing headings, outermost first: the innermost one (not the title) tags the FAQs under it. */
  private outline: PendingHeading[] = [];
  private question: string[] | null = null;
  private answer: string[] | null = null;

  constructor(private readonly title: string | undefined) {}

  /** Returns how many of the following blocks it consumed as the answer to a question heading. */
  heading(block: { level: number; text: string }, blocks: DocumentBlock[], from: number): number {
    this.closeQa();
    const text = oneLine(block.text);
    if (!text) return 0;
    this.outline = this.outline.filter((h) => h.level < block.level);
    if (isQuestionLike(text)) {
      // The answer to a question heading is the text up to the next heading (or FAQ table, term list),
      // unless that text is itself a list of Q:/A: pairs (then the heading is just a section title).
      let until = from;
      while (
        until < blocks.length &&
        (blocks[until].kind === 'paragraph' || blocks[until].kind === 'attached')
      )
        until++;
      const own = blocks.slice(from, until) as Array<{ text: string }>;
      const answerText = clean(own.map((b) => b.text).join('\n'));
      const lines = answerText.split('\n');
      if (answerText && !lines.some((l) => stripQuestionPrefix(l) !== null)) {
        lines[0] = stripAnswerPrefix(lines[0]) ?? lines[0];
        this.addFaq(stripQuestionPrefix(text) ?? text, clean(lines.join('\n')));
        return own.length;
      }
    }
    this.pendingHeadings = this.pendingHeadings.filter((h) => h.level < block.level);
    this.pendingHeadings.push({ level: block.level, text });
    this.outline.push({ level: block.level, text });
    return 0;
  }

  /** Lines of a paragraph or attached block: Q:/A: pairs become FAQs, everything else prose. */
  lines(text: string, attached: boolean): void {
    // A new paragraph ends an answer, and ends a question unless it starts with the answer to it.
    if (!attached && (this.answer || (this.question && stripAnswerPrefix(text.trimStart()) === null)))
      this.closeQa();
    const prose: string[] = [];
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      const q = stripQuestionPrefix(line);
      const a = q === null ? stripAnswerPrefix(line) : null;
      if (q !== null) {
        this.flushProse(prose);
        this.closeQa();
        // "Q: 如何退货？ A: 签收后7天内。" on one line: the answer starts after the question mark.
        const inline = /[?？]\s*(?:A|Answer|答|答案|回答)\s*[:：]\s*/iu.exec(q);
        if (inline) {
          this.question = [q.slice(0, inline.index + 1)];
          this.answer = [q.slice(inline.index + inline[0].length)];
        } else this.question = q ? [q] : [];
      } else if (a !== null && this.question && !this.answer) {
        this.answer = a ? [a] : [];
      } else if (this.answer) {
        this.answer.push(line);
      } else if (this.question) {
        this.question.push(line);
      } else {
        if (a !== null)
          this.warnings.push({
            code: 'answer_without_question',
            values: { text: oneLine(line).slice(0, 60) },
          });
        prose.push(line);
      }
    }
    this.flushProse(prose);
  }

  term(term: string, definitions: string[]): void {
    this.closeQa();
    const question = oneLine(term);
    const answer = clean(definitions.join('\n'));
    if (question && answer && isQuestionLike(question))
      this.addFaq(stripQuestionPrefix(question) ?? question, answer);
    else this.prose(clean([question, answer].filter(Boolean).join('\n')));
  }

  tableFaqs(faqs: ParsedFaq[], warnings: IngestWarning[]): void {
    this.closeQa();
    const tag = this.tag();
    for (const faq of faqs) this.faqs.push(tag && faq.tags.length === 0 ? { ...faq, tags: [tag] } : faq);
    this.warnings.push(...warnings);
  }

  finish(): AssembledDocument {
    this.closeQa();
    const text = this.text;
    const document: ParsedDocument | null = text ? { text, sections: this.sections } : null;
    if (document && this.title) document.title = this.title;
    return { faqs: this.faqs, document, warnings: this.warnings };
  }

  private flushProse(prose: string[]): void {
    const text = clean(prose.join('\n'));
    prose.length = 0;
    if (text) this.prose(text);
  }

  private closeQa(): void {
    if (this.question === null) return;
    const question = oneLine(this.question.join('\n'));
    const answer = this.answer === null ? '' : clean(this.answer.join('\n'));
    if (question && answer) this.addFaq(question, answer);
    else if (question) {
      this.warnings.push({ code: 'question_without_answer', values: { text: question.slice(0, 60) } });
      this.prose(question);
    } else if (answer) this.prose(answer);
    this.question = null;
    this.answer = null;
  }

  private addFaq(question: string, answer: string): void {
    const tag = this.tag();
    this.faqs.push({ question: oneLine(question), alternates: [], answer, tags: tag ? [tag] : [] });
  }

  private tag(): string | undefined {
    const inner = this.outline.at(-1);
    return inner && inner.text !== this.title ? inner.text : undefined;
  }

  /** Headings reach the text only when prose follows them, so sections of pure FAQs leave no orphan titles. */
  private prose(text: string): void {
    for (const h of this.pendingHeadings) {
      if (this.text) this.text += '\n\n';
      this.sections.push({ heading: h.text, start: this.text.length, end: this.text.length + h.text.length });
      this.text += h.text;
    }
    const afterHeading = this.pendingHeadings.length > 0;
    this.pendingHeadings = [];
    if (this.sections.length === 0) this.sections.push({ start: 0, end: 0 });
    if (this.text) this.text += afterHeading ? '\n' : '\n\n';
    this.text += text;
    this.sections[this.sections.length - 1].end = this.text.length;
  }
}

export function assembleDocument(
  blocks: DocumentBlock[],
  options: { title?: string } = {},
): AssembledDocument {
  const assembler = new Assembler(options.title);
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    switch (block.kind) {
      case 'heading':
        i += assembler.heading(block, blocks, i + 1);
        break;
      case 'paragraph':
      case 'attached':
        assembler.lines(block.text, block.kind === 'attached');
        break;
      case 'term': {
        const definitions: string[] = [];
        while (blocks[i + 1]?.kind === 'definition') definitions.push((blocks[++i] as { text: string }).text);
        assembler.term(block.text, definitions);
        break;
      }
      case 'definition':
        assembler.lines(block.text, false);
        break;
      case 'faqs':
        assembler.tableFaqs(block.faqs, block.warnings);
        break;
    }
  }
  return assembler.finish();
}
