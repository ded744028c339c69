export type { DataFile, DataItem, DataKind, DataSource, DebianSource, NpmSource } from './catalog.js';
export { CATALOG, DATA_IDS } from './catalog.js';
export { defaultCacheDir } from './cache-dir.js';
export type { DataPaths } from './ensure-data.js';
export type { CachedStatus, EnsureAllOptions, EnsureOptions, ProgressEvent } from './data-api.js';
export { ensureAll, ensureData, getDataItem, inspectCache } from './data-api.js';
export type { CacheState } from './verified-cache.js';
export type { ModelId, ModelInputMapping, ModelInputSpec } from './model-inputs.js';
export { MODEL_IDS, MODEL_INPUTS, modelInputMapping, modelInputSize } from './model-inputs.js';
