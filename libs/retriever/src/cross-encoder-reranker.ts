/**
 * A cross-encoder reranker from a sequence-classification model folder (e.g. a BERT trained on
 * query/passage relevance): reads query and candidate together and scores their relevance. The
 * optional second stage of HybridRetriever (its Reranker interface), e.g. the eval's "hybrid + rerank" row.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { bertFeeds, createSession, TextTokenizer, type ModelFolder } from '@wendao/models';
import type { Reranker } from './hybrid-retriever';

export class CrossEncoderReranker implements Reranker {
  private constructor(
    readonly model: ModelFolder,
    private readonly tokenizer: TextTokenizer,
    private readonly session: InferenceSession,
    private readonly maxLength: number,
    private readonly batchSize: number,
  ) {}

  static async load(
    folder: ModelFolder,
    opts: { threads?: number; maxLength?: number; batchSize?: number } = {},
  ): Promise<CrossEncoderReranker> {
    if (folder.task !== 'classifier')
      throw new Error(
        `${folder.id} is a ${folder.task} model, not a sequence-classification (cross-encoder) model`,
      );
    const tokenizer = TextTokenizer.load(folder.dir);
    const session = await createSession(folder.onnxPath, { threads: opts.threads });
    if (!session.outputNames.includes('logits'))
      throw new Error(
        `${folder.id}: ${folder.onnxPath} has no "logits" output (outputs: ${session.outputNames.join(', ')})`,
      );
    const maxLength = Math.min(opts.maxLength ?? 256, tokenizer.modelMaxLength);
    return new CrossEncoderReranker(folder, tokenizer, session, maxLength, opts.batchSize ?? 16);
  }

  /** `[CLS] query [SEP] candidate [SEP]` (RoBERTa: `<s> q </s></s> c </s>`), candidate cut to fit. */
  private async pair(query: number[], candidate: string): Promise<{ ids: number[]; types: number[] }> {
    const { cls, sep } = this.tokenizer.special;
    const roberta = this.tokenizer.pairTemplate === 'roberta';
    const q = query.slice(0, Math.floor(this.maxLength / 2));
    const head = roberta ? [cls, ...q, sep, sep] : [cls, ...q, sep];
    const room = this.maxLength - head.length - 1;
    const c = (await this.tokenizer.tokenIds(candidate)).slice(0, Math.max(0, room));
    const ids = [...head, ...c, sep];
    const second = roberta || !this.tokenizer.hasTokenTypeIds ? 0 : 1;
    return { ids, types: ids.map((_, i) => (i < head.length ? 0 : second)) };
  }

  async rerank(
    query: string,
    candidates: Array<{ id: number; text: string }>,
  ): Promise<Array<{ id: number; score: number }>> {
    const queryIds = await this.tokenizer.tokenIds(query);
    const scored: Array<{ id: number; score: number }> = [];
    for (let i = 0; i < candidates.length; i += this.batchSize) {
      const batch = candidates.slice(i, i + this.batchSize);
      const pairs = await Promise.all(batch.map((c) => this.pair(queryIds, c.text)));
      const { feeds } = bertFeeds(
        pairs.map((p) => ({ ids: p.ids, typeIds: p.types })),
        {
          padId: this.tokenizer.special.pad,
          tokenTypeIds: this.session.inputNames.includes('token_type_ids'),
        },
      );
      const logits = (await this.session.run(feeds, ['logits'])).logits;
      const labels = logits.dims[1] ?? 1;
      const data = logits.data as Float32Array;
      batch.forEach((c, b) => {
        // One logit: a relevance score. Two or more: the last class is "relevant" (MS MARCO / STS-style heads);
        // its margin over the others' log-sum-exp is the log-odds, monotone in the probability.
        const row = data.subarray(b * labels, (b + 1) * labels);
        const score =
          labels === 1
            ? row[0]
            : row[labels - 1] - Math.log(row.slice(0, -1).reduce((s, x) => s + Math.exp(x), 0));
        scored.push({ id: c.id, score });
      });
    }
    return scored.sort((a, b) => b.score - a.score);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
