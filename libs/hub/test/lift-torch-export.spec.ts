/**
 * The packed layout rebuilt from a graph torch.onnx.export wrote (opset 14: LayerNorm spelled out
 * in ReduceMean/Pow/Sqrt, constant-folded transposed matrices under generated names, Gemm for the
 * 2-D head) must reproduce that graph's last_hidden_state. The fixture keeps its parameters in a
 * ParameterList ("params.N"); real exports keep module names, which the test restores.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  architectureMapping,
  bertFeeds,
  bertWeightShapes,
  buildPackedBertOnnx,
  liftBertWeights,
  packedBertFeeds,
  type BertConfig,
} from '@wendao/models';

const FIXTURE = resolve(__dirname, 'fixtures/checkpoints/torch-onnx-export');
const hfConfig = JSON.parse(readFileSync(resolve(FIXTURE, 'config.json'), 'utf8')) as Record<string, unknown>;
const mapping = architectureMapping(hfConfig, 'base');

/** The fixture script's parameter order: BertModel's, then pooler, classifier, qa_outputs. */
function moduleNames(config: BertConfig): string[] {
  return [
    ...bertWeightShapes(config, { head: 'base' }).keys(),
    'pooler.dense.weight',
    'pooler.dense.bias',
    'classifier.weight',
    'classifier.bias',
    'qa_outputs.weight',
    'qa_outputs.bias',
  ];
}

function withModuleNames(model: onnx.ModelProto): onnx.ModelProto {
  const names = moduleNames(mapping.config);
  const graph = model.graph as onnx.GraphProto;
  const renames = new Map<string, string>();
  for (const t of graph.initializer) {
    const m = /^params\.(\d+)$/.exec(t.name as string);
    if (m) renames.set(t.name as string, `bert.${names[Number(m[1])]}`);
  }
  for (const t of graph.initializer) t.name = renames.get(t.name as string) ?? t.name;
  for (const node of graph.node) node.input = (node.input ?? []).map((i) => renames.get(i) ?? i);
  return model;
}

describe('packed layout from a torch.onnx.export graph', () => {
  const bytes = readFileSync(resolve(FIXTURE, 'model.onnx'));

  it('cannot place parameters that carry no names, and says which', () => {
    expect(() => liftBertWeights(onnx.ModelProto.decode(bytes), mapping)).toThrow(
      /missing weight "embeddings\.word_embeddings\.weight"/,
    );
  });

  it("reproduces the export's last_hidden_state once its parameters have module names", async () => {
    const weights = liftBertWeights(withModuleNames(onnx.ModelProto.decode(bytes)), mapping);
    const original = await ort.InferenceSession.create(bytes);
    const packed = await ort.InferenceSession.create(buildPackedBertOnnx(mapping.config, weights));
    const batch = [
      { ids: [2, 17, 33, 8, 41, 3], typeIds: [0, 0, 0, 1, 1, 1] },
      { ids: [2, 9, 3] },
      { ids: [2, 11, 12, 13, 14, 15, 16, 17, 18, 3] },
    ];
    const padded = bertFeeds(batch, { padId: 0, tokenTypeIds: true });
    const expected = (await original.run(padded.feeds, ['last_hidden_state'])).last_hidden_state
      .data as Float32Array;
    const p = packedBertFeeds(batch, {
      numHeads: mapping.config.num_attention_heads,
      positionOffset: 0,
      tokenTypeIds: true,
    });
    const actual = (await packed.run(p.feeds)).last_hidden_state.data as Float32Array;
    const H = mapping.config.hidden_size;
    let worst = 0;
    batch.forEach((s, i) => {
      for (let t = 0; t < s.ids.length; t++) {
        for (let h = 0; h < H; h++) {
          worst = Math.max(
            worst,
            Math.abs(actual[(p.starts[i] + t) * H + h] - expected[(i * padded.seqLength + t) * H + h]),
          );
        }
      }
    });
    expect(worst).toBeLessThan(1e-4);
    await original.release();
    await packed.release();
  });
});
