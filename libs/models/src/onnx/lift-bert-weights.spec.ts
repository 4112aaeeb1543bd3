import { onnx } from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import {
  architectureMapping,
  bertWeightShapes,
  buildBertOnnx,
  liftBertWeights,
  randomBertWeights,
  tinyBertConfig,
  type BertConfig,
  type BertWeights,
} from '@wendao/models';

const config = tinyBertConfig();
const mapping = architectureMapping({ ...config }, 'base');

function built(weights: BertWeights, head: 'embedder' | 'qa' = 'embedder'): onnx.ModelProto {
  return onnx.ModelProto.decode(buildBertOnnx(config, weights, { head }));
}

/** Renames initializers (and every node input that reads them); `rename` returns undefined to keep a name. */
function renameInitializers(model: onnx.ModelProto, rename: (name: string) => string | undefined): void {
  const graph = model.graph as onnx.GraphProto;
  const renames = new Map<string, string>();
  for (const t of graph.initializer) {
    const next = rename(t.name as string);
    if (next !== undefined) renames.set(t.name as string, next);
  }
  for (const t of graph.initializer) t.name = renames.get(t.name as string) ?? t.name;
  for (const node of graph.node) node.input = (node.input ?? []).map((i) => renames.get(i) ?? i);
}

function expectSameWeights(lifted: BertWeights, weights: BertWeights, cfg: BertConfig = config): void {
  const names = [...bertWeightShapes(cfg, { head: 'base' }).keys()];
  expect([...lifted.keys()].sort()).toEqual([...names].sort());
  for (const name of names) {
    expect(lifted.get(name)?.dims, name).toEqual(weights.get(name)?.dims);
    expect(Array.from(lifted.get(name)?.data ?? []), name).toEqual(Array.from(weights.get(name)?.data ?? []));
  }
}

describe('liftBertWeights', () => {
  it("reads back exactly the weights Wendao's builder wrote, ignoring the head", () => {
    const weights = randomBertWeights(config, { seed: 5, head: 'qa' });
    expectSameWeights(liftBertWeights(built(weights, 'qa'), mapping), weights);
  });

  it('finds anonymous projection matrices through their named biases, under a "bert." prefix', () => {
    const weights = randomBertWeights(config, { seed: 6, head: 'embedder' });
    const model = built(weights);
    // What torch.onnx.export leaves: module names with the wrapper's prefix, constant-folded
    // (transposed) matrices under generated names.
    let anonymous = 100;
    renameInitializers(model, (name) => (name.endsWith('.weight.T') ? `onnx::MatMul_${anonymous++}` : `bert.${name}`));
    expectSameWeights(liftBertWeights(model, mapping), weights);
  });

  it('names the first parameter it cannot place', () => {
    const weights = randomBertWeights(config, { seed: 7, head: 'embedder' });
    const model = built(weights);
    // The first layer's query bias no longer has its name: its matrix cannot be found either.
    renameInitializers(model, (name) => (name === 'encoder.layer.0.attention.self.query.bias' ? 'onnx::Add_7' : undefined));
    expect(() => liftBertWeights(model, mapping)).toThrow(
      /cannot read the encoder's weights from the graph: missing weight "encoder\.layer\.0\.attention\.self\.query\.weight"/,
    );
  });

  it('refuses weights of the wrong shape for the config', () => {
    const weights = randomBertWeights(config, { seed: 8, head: 'embedder' });
    const wider = architectureMapping({ ...config, intermediate_size: 128 }, 'base');
    expect(() => liftBertWeights(built(weights), wider)).toThrow(/missing weight "encoder\.layer\.0\.intermediate\.dense\.weight"/);
  });
});
