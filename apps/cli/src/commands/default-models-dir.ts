/**
 * Where the CLI looks for model folders: --models-dir, else $WENDAO_MODELS_DIR, else ./models
 * (the same order the API server uses), read in one place so every command agrees.
 */
export function defaultModelsDir(flag: string | undefined): string {
  return flag ?? process.env.WENDAO_MODELS_DIR ?? 'models';
}
