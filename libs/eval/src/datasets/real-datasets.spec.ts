/** The loaders against the real shared files: the counts SOURCES.md reports must come out. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  datasetPath,
  PAIR_DATASETS,
  READER_DATASETS,
  RETRIEVAL_DATASETS,
  STS_DATASETS,
} from './dataset-catalog';
import { resolveDatasetsDir } from './datasets-dir';
import { loadBanking77, loadCais, loadClinc150, loadSmp2017 } from './intent-dataset';
import { loadSentencePairs, pairsToRetrievalSet } from './sentence-pair-dataset';
import { loadSquadFile } from './squad-dataset';
import { loadStackFaq } from './stackfaq-dataset';
import { loadStsbEn, loadStsbZh } from './sts-dataset';

const dir = resolveDatasetsDir(resolve(__dirname, '../../../..'));

describe('real dataset files', () => {
  it('reads SQuAD v1.1 dev and CMRC 2018 dev with the published question counts', () => {
    const squad = loadSquadFile(datasetPath(dir, READER_DATASETS.squad));
    expect(squad.examples).toHaveLength(10570);
    expect(squad.contexts).toHaveLength(2067);
    expect(loadSquadFile(datasetPath(dir, READER_DATASETS.cmrc2018)).examples).toHaveLength(3219);
    expect(loadSquadFile(datasetPath(dir, READER_DATASETS.drcd)).examples).toHaveLength(3524);
  });

  it('reads the retrieval and pair sets', () => {
    const stack = loadStackFaq(datasetPath(dir, RETRIEVAL_DATASETS.stackfaq));
    expect(stack.entries).toHaveLength(125);
    expect(stack.queries.length).toBeGreaterThan(1200); // 1,375 minus '*' and null placeholders
    const lcqmc = loadSentencePairs(datasetPath(dir, PAIR_DATASETS.lcqmc));
    expect(lcqmc).toHaveLength(8802);
    expect(lcqmc.filter((p) => p.positive)).toHaveLength(4402);
    expect(loadSentencePairs(datasetPath(dir, PAIR_DATASETS.afqmc)).filter((p) => p.positive)).toHaveLength(
      1338,
    );
    expect(pairsToRetrievalSet(lcqmc, 'zh').queries.length).toBeGreaterThan(4402);
  });

  it('reads the intent and STS sets', () => {
    const banking = loadBanking77(datasetPath(dir, RETRIEVAL_DATASETS.banking77));
    expect([banking.train.length, banking.test.length]).toEqual([10003, 3080]);
    const clinc = loadClinc150(datasetPath(dir, RETRIEVAL_DATASETS.clinc150));
    expect([clinc.train.length, clinc.test.length]).toEqual([15000, 4500]);
    const smp = loadSmp2017(datasetPath(dir, RETRIEVAL_DATASETS.smp2017));
    expect(smp.train.length + smp.test.length).toBe(3069);
    expect(Math.abs(smp.train.length - 500)).toBeLessThan(20);
    expect(new Set(smp.train.map((r) => r.label)).size).toBe(31);
    const cais = loadCais(datasetPath(dir, RETRIEVAL_DATASETS.cais));
    expect([cais.train.length, cais.test.length]).toEqual([7995, 1011]); // 1,012 less the one GetDate
    expect(cais.test.filter((r) => r.label === 'PlayMusic').length / cais.test.length).toBeGreaterThan(0.8);
    expect(loadStsbEn(datasetPath(dir, STS_DATASETS['stsb-en']))).toHaveLength(1379);
    expect(loadStsbZh(datasetPath(dir, STS_DATASETS['stsb-zh']))).toHaveLength(1361);
  });
});
