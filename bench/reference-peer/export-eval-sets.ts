/**
 * Writes the exact retrieval, STS and shop sets `wendao eval` scores (same loaders, same queries, same
 * gold) as JSON, so the Python peer run (scripts/reference-models/peer-eval.py) scores a Python user's
 * system on the same footing. A shop set is written as its FAQ entries (question, alternates, answer),
 * its customer paraphrases with their entry and its out-of-scope questions, which must fall back.
 * Usage: node dist/bench/reference-peer/export-eval-sets.js <out dir> [datasets dir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  EvalSuite,
  listShopSets,
  loadShopSet,
  loadStsbEn,
  loadStsbZh,
  resolveDatasetsDir,
} from '@wendao/eval';

const RETRIEVAL = ['stackfaq', 'banking77', 'clinc150', 'lcqmc', 'bq', 'afqmc', 'smp2017', 'cais'];

function main(): void {
  const [outArg, datasetsArg] = process.argv.slice(2);
  if (!outArg) throw new Error('usage: export-eval-sets.js <out dir> [datasets dir]');
  const out = resolve(outArg);
  mkdirSync(out, { recursive: true });
  const datasetsDir = resolveDatasetsDir(resolve(__dirname, '../../..'), datasetsArg);
  const suite = new EvalSuite({
    datasetsDir,
    modelsDir: join(out, 'no-models'),
    lexical: true,
    command: 'export',
  });
  for (const name of RETRIEVAL) {
    const { set } = suite.loadRetrievalSet(name);
    writeFileSync(join(out, `retrieval-${name}.json`), JSON.stringify(set));
    console.log(`retrieval-${name}.json: ${set.entries.length} entries, ${set.queries.length} queries`);
  }
  const sts = {
    'stsb-en': loadStsbEn(join(datasetsDir, 'sts_b_en/stsbenchmark.tsv.gz'), 'test'),
    'stsb-zh': loadStsbZh(join(datasetsDir, 'sts_b_zh/STS-B.test.data')),
  };
  for (const [name, pairs] of Object.entries(sts)) {
    writeFileSync(join(out, `similarity-${name}.json`), JSON.stringify({ language: name.slice(-2), pairs }));
    console.log(`similarity-${name}.json: ${pairs.length} pairs`);
  }
  for (const name of listShopSets()) {
    const set = loadShopSet(name);
    const shop = {
      language: set.language,
      faqs: set.faqs.map(({ id, question, alternates, answer }) => ({ id, question, alternates, answer })),
      paraphrases: set.paraphrases,
      outOfScope: set.outOfScope,
    };
    writeFileSync(join(out, `shop-${name}.json`), JSON.stringify(shop));
    console.log(
      `shop-${name}.json: ${set.faqs.length} entries, ${set.paraphrases.length} paraphrases, ${set.outOfScope.length} out of scope`,
    );
  }
}

main();
