/**
 * The data each EvalSuite task reads, by catalog name from the shared datasets folder: the retrieval
 * view of FAQ, question-matching and intent sets, reading-comprehension files, STS and labelled pairs.
 */
import {
  catalogEntry,
  datasetPath,
  PAIR_DATASETS,
  READER_DATASETS,
  RETRIEVAL_DATASETS,
  STS_DATASETS,
  type CatalogEntry,
  type Language,
} from '../datasets/dataset-catalog';
import {
  intentsToRetrievalSet,
  loadCais,
  limitPerLabel,
  loadBanking77,
  loadClinc150,
  loadSmp2017,
  type IntentSplit,
} from '../datasets/intent-dataset';
import type { RetrievalSet } from '../datasets/retrieval-set';
import { loadSentencePairs, pairsToRetrievalSet, type SentencePair } from '../datasets/sentence-pair-dataset';
import { loadSquadFile, type QaDataset } from '../datasets/squad-dataset';
import { loadStackFaq } from '../datasets/stackfaq-dataset';
import { loadStsbEn, loadStsbZh, type StsPair } from '../datasets/sts-dataset';

/** Intent sets: retrieval over their training utterances doubles as 1-nearest-neighbour intent classification. */
export const INTENT_SETS = new Set(['banking77', 'clinc150', 'smp2017', 'cais']);

/**
 * The retrieval view of a named set (FAQ, question-matching, or intent set). `shots` keeps only that
 * many training utterances per intent (intent sets only); the entry's dataset name says so.
 */
export function loadRetrievalSet(
  datasetsDir: string,
  name: string,
  shots?: number,
): { entry: CatalogEntry; set: RetrievalSet } {
  const entry = catalogEntry(RETRIEVAL_DATASETS, name, 'retrieval');
  const path = datasetPath(datasetsDir, entry);
  if (shots !== undefined && !INTENT_SETS.has(name))
    throw new Error(`--shots applies to the intent sets (${[...INTENT_SETS].join(', ')}), not "${name}"`);
  const intents = (split: IntentSplit, language: Language): RetrievalSet =>
    intentsToRetrievalSet(shots === undefined ? split : limitPerLabel(split, shots), language);
  let set: RetrievalSet;
  if (name === 'stackfaq') set = loadStackFaq(path);
  else if (name === 'banking77') set = intents(loadBanking77(path), 'en');
  else if (name === 'clinc150') set = intents(loadClinc150(path), 'en');
  else if (name === 'smp2017') set = intents(loadSmp2017(path), 'zh');
  else if (name === 'cais') set = intents(loadCais(path), 'zh');
  else set = pairsToRetrievalSet(loadSentencePairs(path), entry.language);
  if (shots === undefined) return { entry, set };
  return {
    entry: {
      ...entry,
      name: `${name}-${shots}shot`,
      split: `train: ${shots} utterances per intent / test as queries`,
    },
    set,
  };
}

/** A SQuAD-format reading-comprehension set; `task` names the eval in the unknown-dataset error. */
export function loadReadingSet(
  datasetsDir: string,
  name: string,
  task: string,
): { entry: CatalogEntry; dataset: QaDataset } {
  const entry = catalogEntry(READER_DATASETS, name, task);
  return { entry, dataset: loadSquadFile(datasetPath(datasetsDir, entry)) };
}

/** STS sentence pairs with gold similarity (STS-B English: its test split). */
export function loadStsSet(datasetsDir: string, name: string): { entry: CatalogEntry; pairs: StsPair[] } {
  const entry = catalogEntry(STS_DATASETS, name, 'similarity');
  const path = datasetPath(datasetsDir, entry);
  return { entry, pairs: name === 'stsb-en' ? loadStsbEn(path, 'test') : loadStsbZh(path) };
}

/** Sentence pairs labelled same meaning / not (LCQMC, BQ, AFQMC, PAWS-X). */
export function loadPairSet(
  datasetsDir: string,
  name: string,
): { entry: CatalogEntry; pairs: SentencePair[] } {
  const entry = catalogEntry(PAIR_DATASETS, name, 'pair-classification');
  return { entry, pairs: loadSentencePairs(datasetPath(datasetsDir, entry)) };
}
