/**
 * WardWatch analytics: motion, tamper and picture quality, Vietnamese licence plates, faces and cross-camera tracks.
 *
 * @packageDocumentation
 * @module @wardwatch/analytics-plugin
 */
// plugin
export { analyticsPlugin } from './analytics-plugin.js';
export type { AnalyticsPlugin, AnalyticsPluginOptions } from './analytics-plugin.js';

// motion
export { createMotionAnalyzer } from './motion-analyzer.js';
export type { MotionAnalyzerOptions } from './motion-analyzer.js';
export { MotionDetector } from './motion-detector.js';
export type { MotionDetectorOptions, MotionStep } from './motion-detector.js';
export { pointInPolygon } from './polygon.js';
export type { NormalizedPoint, Polygon } from './polygon.js';

// tamper and picture quality
export { createTamperAnalyzer } from './tamper-analyzer.js';
export type { TamperAnalyzerOptions } from './tamper-analyzer.js';
export { TamperDetector } from './tamper-detector.js';
export type { TamperDetectorOptions, TamperStep } from './tamper-detector.js';
export { measurePicture } from './picture-metrics.js';
export type { PictureMetrics } from './picture-metrics.js';
export { summarizePictureQuality } from './picture-quality-report.js';
export type { CameraPictureQuality } from './picture-quality-report.js';

// licence plates
export { normalizeVietnamesePlate, parseVietnamesePlate } from './plate-parser.js';
export type { ParsePlateOptions, ParsedPlate, PlateKind, PlateLayout } from './plate-parser.js';
export { VN_PLATE_PROVINCES } from './vn-provinces.js';
export {
  BIKE_SERIES_DIGITS,
  CAR_SPECIAL_SERIES,
  ELECTRIC_BIKE_SERIES,
  LAYOUT_RULES,
  MILITARY_SERIES,
  MISSION_SERIES,
  NUMBER_RULE,
  SERIES_LETTERS,
  TEMPORARY_MARK,
  TRAILER_SERIES,
} from './vn-plate-rules.js';
export type { PlateRuleGroup } from './vn-plate-rules.js';
export type { OrientedBox } from './oriented-box.js';
export { createPlateReader } from './plate-reader.js';
export type { OcrLine, OcrModelPaths, PlateImage, PlateRead, PlateReader, PlateReaderOptions } from './plate-reader.js';
export { createPlateAnalyzer } from './plate-analyzer.js';
export type { PlateAnalyzerOptions } from './plate-analyzer.js';

// tracks
export { trackPlate } from './track-plate.js';
export type { PlateSighting, PlateTrack, PlateTrackLeg, PlateTrackSource, TrackPlateOptions } from './track-plate.js';
export { compassPoint, compassPointVi, distanceMeters, initialBearing } from './bearing.js';
export type { LatLon } from './bearing.js';

// faces
export { FACE_MODELS, createFaceEngine } from './face-engine.js';
export type { DetectedFace, FaceEngine, FaceEngineOptions } from './face-engine.js';
export { faceEmbeddingsFromPhoto } from './face-embeddings-from-photo.js';
export type { FaceEmbeddingsFromPhotoOptions } from './face-embeddings-from-photo.js';
export { createFaceWatchlist, faceSimilarity } from './face-watchlist.js';
export type { EnrolInput, FaceWatchlist, FaceWatchlistOptions, FaceWatchlistSourceEntry, WatchlistEntry, WatchlistMatch } from './face-watchlist.js';
export { createFaceAnalyzer } from './face-analyzer.js';
export type { FaceAnalyzerOptions } from './face-analyzer.js';

// errors
export type { AnalyzerErrorHandler } from './analyzer-errors.js';
