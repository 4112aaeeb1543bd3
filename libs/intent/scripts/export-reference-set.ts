/**
 * Writes the exact feature rows, labels and our probabilities for the scikit-learn reference check
 * (sklearn-reference.py): a 10-shot draw of 20 BANKING77 intents and of all 31 SMP2017-ECDT domains.
 * Run by sklearn-reference.sh: vite-node --config vitest.config.ts export-reference-set.ts <datasets> <out.json>
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  limitPerLabel,
  loadBanking77,
  parseSmp2017Tsv,
  stratifiedSplit,
  type IntentSplit,
} from '@wendao/eval';
import { readFileSync } from 'node:fs';
import { IntentClassifier, type SparseRow } from '@wendao/intent';

const C = 10;

async function exportSet(name: string, split: IntentSplit) {
  const train = limitPerLabel(split, 10, 1).train;
  const known = new Set(train.map((r) => r.label));
  const test = split.test.filter((r) => known.has(r.label));
  const classifier = await IntentClassifier.train(
    train.map((r) => ({ text: r.text, intent: r.label })),
    { c: C, threshold: 0 },
  );
  const rows = (items: SparseRow[]) => items.map((r) => ({ indices: [...r.indices], values: [...r.values] }));
  const probabilities = await classifier.probabilities(test.map((r) => r.text));
  return {
    name,
    c: C,
    dim: classifier.featureDim,
    intents: classifier.intents,
    iterations: classifier.report?.iterations,
    train: {
      rows: rows(await classifier.featureRows(train.map((r) => r.text))),
      labels: train.map((r) => r.label),
    },
    test: {
      rows: rows(await classifier.featureRows(test.map((r) => r.text))),
      labels: test.map((r) => r.label),
      ourProbabilities: probabilities.map((p) => [...p]),
    },
  };
}

async function main() {
  const [datasets, out] = process.argv.slice(2);
  if (!datasets || !out) throw new Error('usage: export-reference-set.ts <datasets dir> <out.json>');
  const banking = loadBanking77(join(datasets, 'banking77'));
  const twenty = new Set([...new Set(banking.train.map((r) => r.label))].sort().slice(0, 20));
  const keep = (split: IntentSplit): IntentSplit => ({
    train: split.train.filter((r) => twenty.has(r.label)),
    test: split.test.filter((r) => twenty.has(r.label)),
  });
  const smp = stratifiedSplit(
    parseSmp2017Tsv(readFileSync(join(datasets, 'smp2017_ecdt/Chinese_data.csv'), 'utf8')),
    2299 / 3069,
  );
  const sets = [
    await exportSet('banking77-20-intents-10-shot', keep(banking)),
    await exportSet('smp2017-10-shot', smp),
  ];
  writeFileSync(out, JSON.stringify(sets));
  console.log(
    `wrote ${sets.map((s) => `${s.name}: ${s.train.labels.length} train, ${s.test.labels.length} test, ${s.dim} features`).join('; ')} to ${out}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
