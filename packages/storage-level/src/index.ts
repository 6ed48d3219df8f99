/**
 * The embedded default StorageAdapter, on LevelDB.
 *
 * @packageDocumentation
 * @module @wardwatch/storage-level
 */
export { createLevelStorage } from './create-level-storage.js';
export type { LevelStorageOptions } from './create-level-storage.js';
export { LEVEL_STORAGE_FORMAT, LEVEL_STORAGE_SCHEMA_VERSION } from './schema-version.js';
export type { LevelStorageProblem } from './level-storage-problem.js';
export { repairLevelStorage } from './repair-level-storage.js';
export type { LevelRepairOptions, LevelRepairReport } from './repair-level-storage.js';
export { runStorageCli } from './run-storage-cli.js';
export type { StorageCliIo } from './run-storage-cli.js';
