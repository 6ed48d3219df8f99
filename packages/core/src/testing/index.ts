/**
 * Conformance kits and test doubles for adapter authors: describeStorageAdapter, describeCameraDriver, createFakeCameraDriver.
 *
 * @packageDocumentation
 * @module @wardwatch/core/testing
 */
// storage conformance kit
export { describeStorageAdapter } from './describe-storage-adapter.js';
export type { DescribeStorageAdapterOptions } from './describe-storage-adapter.js';
export {
  runStorageCheck,
  runStorageConformance,
  selectStorageChecks,
} from '../storage/conformance/run-storage-conformance.js';
export type {
  StorageAdapterFactory,
  StorageAdapterHarness,
  StorageConformanceFailure,
  StorageConformanceOptions,
  StorageConformanceReport,
} from '../storage/conformance/run-storage-conformance.js';
export { storageConformanceChecks } from '../storage/conformance/storage-conformance-checks.js';
export type { StorageCheckContext, StorageConformanceCheck } from '../storage/conformance/storage-conformance-checks.js';
/** Fixture builders of the storage conformance kit (valid segments, incidents, holds, events...). */
export * as storageFixtures from '../storage/conformance/storage-fixtures.js';
export {
  DAY,
  HOUR,
  MINUTE,
  T0,
  makeCamera,
  makeEvidence,
  makeHold,
  makeIncident,
  makeMotion,
  makeSegment,
  makeSegments,
  makeStatusEvent,
  sha,
} from '../storage/conformance/storage-fixtures.js';
// camera driver conformance kit and fake driver
export {
  cameraDriverChecks,
  describeCameraDriver,
  optionalCameraDriverChecks,
  runCameraDriverChecks,
} from './describe-camera-driver.js';
export type {
  CameraDriverCheck,
  CameraDriverCheckResult,
  CameraDriverFactory,
  CameraDriverFixture,
  DescribeCameraDriverOptions,
} from './describe-camera-driver.js';
export { closedPort } from './closed-port.js';
export { FAKE_JPEG, createFakeCameraDriver } from './fake-camera-driver.js';
export type { FakeCameraControl, FakeCameraDriver, FakeCameraDriverOptions } from './fake-camera-driver.js';
