export {
  BUILT_IN_CATALOG,
  catalogEntrySchema,
  catalogFileSchema,
  loadCatalog,
  mergeCatalogs,
  MODEL_STAGES,
  type CatalogEntry,
  type LoadCatalogOptions,
  type ModelStage,
} from './catalog';
export type { DownloadProgress, RetryPolicy } from './download';
export type { HashProgress } from './file-hash';
export {
  createModelManager,
  defaultModelsDir,
  PART_SUFFIX,
  type ExtraFile,
  type InstallOptions,
  type InstallResult,
  type ModelListing,
  type ModelManager,
  type ModelManagerOptions,
  type ModelState,
  type ModelStatus,
  type VerifyOptions,
  type VerifyOutcome,
  type VerifyResult,
} from './model-manager';
