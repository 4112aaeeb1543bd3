/**
 * @wendao/hub: getting BERT-family models onto this machine without Python: pull from the
 * Hugging Face hub, convert checkpoints to ONNX, quantize to INT8.
 */
export {
  quantizeOnnxModel,
  type DynamicQuantizeOptions,
  type QuantizedModel,
} from './quantize/dynamic-quantizer';
export {
  createDownloadProgress,
  createLoggedDownloadProgress,
  type DownloadProgress,
  type DownloadProgressFactory,
} from './pull/download-progress';
export {
  downloadFile,
  digestFile,
  DownloadError,
  type DownloadRequest,
  type DownloadedFile,
  type ExpectedDigest,
} from './pull/file-downloader';
export {
  HubClient,
  HubUnreachableError,
  DEFAULT_HUB_ENDPOINT,
  type HubClientOptions,
  type HubFile,
  type HubRevision,
} from './pull/hub-client';
export { ModelsLock, LOCKFILE_NAME, type LockedFile, type LockedModel } from './pull/models-lock';
export {
  pullModel,
  parseModelRef,
  modelFolderPath,
  MODEL_METADATA_FILES,
  type ModelSource,
  type PullModelOptions,
  type PulledModel,
} from './pull/model-puller';
export {
  ModelFolderBusyError,
  withModelFolderLock,
  type AssertLockHeld,
  type ModelFolderLockOptions,
} from './pull/model-folder-lock';
export {
  quantizeModelFolder,
  QUANTIZED_ONNX_NAME,
  type QuantizedFolder,
} from './quantize/quantize-model-folder';
export {
  compareQuantized,
  type QuantizationReport,
  type QuantizationReportOptions,
  type ModelSide,
} from './quantize/quantization-report';
export {
  convertCheckpoint,
  type ConvertCheckpointOptions,
  type ConvertedModel,
} from './convert/checkpoint-converter';
export { architectureMapping, type ArchitectureMapping } from '@wendao/models';
export {
  readCheckpointFolder,
  detectCheckpointFormat,
  type CheckpointFormat,
  type CheckpointWeights,
} from './checkpoint/checkpoint-folder';
export { readSafetensorsFile, parseSafetensors } from './checkpoint/safetensors-reader';
export { readTorchCheckpointFile, parseTorchCheckpoint } from './checkpoint/torch-checkpoint-reader';
export {
  unpickle,
  UnsafePickleError,
  type UnpickleOptions,
  type PickleValue,
  type AllowedGlobal,
} from './checkpoint/restricted-unpickler';
export { ZipArchive } from './checkpoint/zip-archive';
export type { CheckpointTensor, CheckpointDType } from './checkpoint/checkpoint-tensor';
export {
  DEFAULT_CATALOG,
  loadCatalog,
  findCatalogModel,
  type CatalogModel,
  type CatalogRole,
} from './catalog';
export {
  installModel,
  type InstallModelOptions,
  type InstalledModel,
  type PrepareModelOptions,
  type PreparedModel,
} from './install-model';
export {
  ensureDefaultModels,
  type EnsureDefaultModelsOptions,
  type DefaultModelsReport,
  type ModelAvailability,
} from './ensure-default-models';
