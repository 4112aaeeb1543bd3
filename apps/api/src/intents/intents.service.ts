/**
 * Intents and their labelled examples per KB: CRUD, CSV import (all rows or none), and a retrain of
 * the KB's classifier scheduled after every change.
 */
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { ingestWarningMessage, type IngestWarning } from '@wendao/ingest';
import { DocumentsService } from '../documents/documents.service';
import { KnowledgeBasesService } from '../knowledge-bases/knowledge-bases.service';
import { AddExamplesDto, CreateIntentDto, UpdateIntentDto } from './intent.dto';
import { parseIntentCsv } from './intent-csv';
import { IntentsRepository, type IntentExampleRow, type IntentRow } from './intents.repository';
import { KbIntentClassifierService } from './kb-intent-classifier.service';

export interface IntentImportResult {
  intentsCreated: number;
  examplesAdded: number;
  duplicatesSkipped: number;
  /** In English, one per entry of `warningCodes`. */
  warnings: string[];
  warningCodes: IngestWarning[];
}

function cleanTexts(texts: readonly string[] | undefined): string[] {
  return [...new Set((texts ?? []).map((t) => t.trim()).filter(Boolean))];
}

function isUniqueViolation(err: unknown): boolean {
  return (
    (err as { code?: string })?.code === '23505' ||
    (err as { driverError?: { code?: string } })?.driverError?.code === '23505'
  );
}

@Injectable()
export class IntentsService {
  constructor(
    private readonly kbs: KnowledgeBasesService,
    private readonly repository: IntentsRepository,
    private readonly classifiers: KbIntentClassifierService,
  ) {}

  async list(kbId: string): Promise<IntentRow[]> {
    await this.kbs.require(kbId);
    return this.repository.list(kbId);
  }

  async get(kbId: string, intentId: string): Promise<IntentRow & { examples: IntentExampleRow[] }> {
    const intent = await this.require(kbId, intentId);
    return { ...intent, examples: await this.repository.examples(kbId, intentId) };
  }

  async create(kbId: string, dto: CreateIntentDto): Promise<IntentRow & { examples: IntentExampleRow[] }> {
    await this.kbs.require(kbId);
    const name = dto.name.trim();
    const id = await this.changed(kbId, name, () =>
      this.repository.change(kbId, async (tx) => {
        if (await this.repository.byName(tx, kbId, name)) throw nameTaken(name);
        const id = await this.repository.insert(tx, kbId, name, dto.description?.trim() || null);
        await this.repository.addExamples(tx, kbId, id, cleanTexts(dto.examples));
        return id;
      }),
    );
    return this.get(kbId, id);
  }

  async update(kbId: string, intentId: string, dto: UpdateIntentDto): Promise<IntentRow> {
    await this.require(kbId, intentId);
    await this.changed(kbId, dto.name?.trim(), () =>
      this.repository.change(kbId, (tx) =>
        this.repository.update(tx, kbId, intentId, {
          name: dto.name?.trim(),
          description: dto.description === undefined ? undefined : dto.description?.trim() || null,
        }),
      ),
    );
    return this.require(kbId, intentId);
  }

  async delete(kbId: string, intentId: string): Promise<void> {
    await this.require(kbId, intentId);
    await this.changed(kbId, undefined, () =>
      this.repository.change(kbId, (tx) => this.repository.delete(tx, kbId, intentId)),
    );
  }

  async examples(kbId: string, intentId: string): Promise<IntentExampleRow[]> {
    await this.require(kbId, intentId);
    return this.repository.examples(kbId, intentId);
  }

  /** Adds the texts that are not examples of the intent yet; returns those added. */
  async addExamples(kbId: string, intentId: string, dto: AddExamplesDto): Promise<IntentExampleRow[]> {
    await this.require(kbId, intentId);
    return this.changed(kbId, undefined, () =>
      this.repository.change(kbId, (tx) =>
        this.repository.addExamples(tx, kbId, intentId, cleanTexts(dto.texts)),
      ),
    );
  }

  async deleteExample(kbId: string, intentId: string, exampleId: string): Promise<void> {
    await this.require(kbId, intentId);
    const deleted = await this.changed(kbId, undefined, () =>
      this.repository.change(kbId, (tx) => this.repository.deleteExample(tx, kbId, intentId, exampleId)),
    );
    if (!deleted) throw new NotFoundException(`example ${exampleId} not found`);
  }

  /**
   * A CSV of intent,example rows: new intents are created, known ones get the new examples. What the
   * file warns about (a GBK file) comes back as an upload job's warnings do: English and as data.
   */
  async import(
    kbId: string,
    file: { buffer: Buffer; originalname?: string } | undefined,
  ): Promise<IntentImportResult> {
    await this.kbs.require(kbId);
    if (!file?.buffer) throw new BadRequestException('upload the CSV as the multipart field "file"');
    const { rows, warnings } = parseIntentCsv(
      file.buffer,
      DocumentsService.fileName(file.originalname ?? 'intents.csv'),
    );
    const byIntent = new Map<string, string[]>();
    for (const { intent, example } of rows) {
      if (!byIntent.has(intent)) byIntent.set(intent, []);
      byIntent.get(intent)!.push(example);
    }
    return this.changed(kbId, undefined, () =>
      this.repository.change(kbId, async (tx) => {
        let intentsCreated = 0;
        let examplesAdded = 0;
        for (const [name, texts] of byIntent) {
          let id = (await this.repository.byName(tx, kbId, name))?.id;
          if (!id) {
            id = await this.repository.insert(tx, kbId, name, null);
            intentsCreated++;
          }
          examplesAdded += (await this.repository.addExamples(tx, kbId, id, cleanTexts(texts))).length;
        }
        return {
          intentsCreated,
          examplesAdded,
          duplicatesSkipped: rows.length - examplesAdded,
          warnings: warnings.map(ingestWarningMessage),
          warningCodes: warnings,
        };
      }),
    );
  }

  /**
   * The KB's classifier's label for a text (null: the KB has no classifier), with the revision of the
   * model that answered and the KB's latest (a newer one is being trained).
   */
  async classify(kbId: string, text: string) {
    await this.kbs.require(kbId);
    return this.classifiers.labelWithRevision(kbId, text);
  }

  async model(kbId: string) {
    await this.kbs.require(kbId);
    return this.classifiers.status(kbId);
  }

  private async require(kbId: string, intentId: string): Promise<IntentRow> {
    await this.kbs.require(kbId);
    const intent = await this.repository.get(kbId, intentId);
    if (!intent) throw new NotFoundException(`intent ${intentId} not found`);
    return intent;
  }

  /** Runs a change, maps a duplicate `name` to 409, and schedules the retrain once it committed. */
  private async changed<T>(kbId: string, name: string | undefined, change: () => Promise<T>): Promise<T> {
    try {
      const result = await change();
      this.classifiers.schedule(kbId);
      return result;
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(name);
      throw err;
    }
  }
}

/** A 409 with the code `intent_name_taken` and the name, for the console to word (docs/api.md). */
function nameTaken(name: string | undefined): ConflictException {
  return new ConflictException({
    message: name
      ? `the knowledge base already has an intent named "${name}"`
      : 'the knowledge base already has an intent of that name',
    code: 'intent_name_taken',
    values: name ? { name } : {},
  });
}
