/**
 * Whole-KB export and import (queries in KbTransferRepository). Import writes the new KB and all
 * its content in one transaction, so a bad file leaves nothing behind; its index is built (and
 * embeddings computed) on first use.
 */
import { BadRequestException, Injectable } from '@nestjs/common';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION, KbExportDto } from './kb-export.dto';
import { KbTransferRepository } from './kb-transfer.repository';
import { KnowledgeBasesService, type KnowledgeBaseView } from './knowledge-bases.service';

@Injectable()
export class KbTransferService {
  constructor(
    private readonly content: KbTransferRepository,
    private readonly kbs: KnowledgeBasesService,
  ) {}

  async export(kbId: string): Promise<KbExportDto> {
    const kb = await this.kbs.require(kbId);
    const { documents: docs, passages, faqs } = await this.content.content(kbId);
    const shaOf = new Map(docs.map((d) => [d.id, d.sha256]));
    return {
      format: EXPORT_FORMAT,
      formatVersion: EXPORT_FORMAT_VERSION,
      knowledgeBase: {
        name: kb.name,
        language: kb.language,
        faqThreshold: kb.faqThreshold,
        answerThreshold: kb.answerThreshold,
        settings: kb.settings,
      },
      documents: docs.map((d) => ({
        fileName: d.file_name,
        type: d.type,
        mime: d.mime,
        sha256: d.sha256,
        sizeBytes: d.size_bytes,
        passages: passages
          .filter((p) => p.document_id === d.id)
          .map((p) => ({ text: p.text, start: p.start_offset, end: p.end_offset })),
      })),
      faqs: faqs.map((f) => ({
        question: f.question,
        alternates: f.alternates,
        answer: f.answer,
        tags: f.tags,
        enabled: f.enabled,
        document: f.document_id ? shaOf.get(f.document_id)! : null,
      })),
    };
  }

  async import(data: KbExportDto, organisationId: string): Promise<KnowledgeBaseView> {
    const shas = new Set<string>();
    for (const doc of data.documents) {
      if (shas.has(doc.sha256))
        throw new BadRequestException(`documents: sha256 ${doc.sha256} appears twice`);
      shas.add(doc.sha256);
      for (const p of doc.passages)
        if (p.end < p.start)
          throw new BadRequestException(`${doc.fileName}: a passage ends before it starts`);
    }
    for (const faq of data.faqs)
      if (faq.document && !shas.has(faq.document))
        throw new BadRequestException(
          `faq "${faq.question}" refers to document ${faq.document}, which is not in the file`,
        );

    const kbId = await this.content.import(organisationId, data);
    return this.kbs.get(kbId);
  }
}
