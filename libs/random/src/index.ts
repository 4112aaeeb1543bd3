/**
 * @wendao/random: the one seeded generator. It loads nothing else, so that an intent training worker
 * can shuffle with it without loading @wendao/models (onnxruntime and the tokenizers' native addons).
 */
export { SeededRandom } from './seeded-random';
