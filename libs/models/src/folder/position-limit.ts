/**
 * The longest sequence a checkpoint's position embeddings allow, from its config.json: the model
 * folder and the tokenizer both cap sequences with it, so they must agree on the RoBERTa offset.
 */
export function positionLimit(config: Record<string, unknown>): number | undefined {
  if (typeof config.max_position_embeddings !== 'number') return undefined;
  // RoBERTa-family position ids start after the padding index, which costs two positions.
  const offset =
    typeof config.position_offset === 'number'
      ? config.position_offset
      : /roberta|camembert/.test(String(config.model_type ?? ''))
        ? 2
        : 0;
  return config.max_position_embeddings - offset;
}
