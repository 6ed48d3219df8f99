/**
 * ffmpeg media pipelines: segment recording, retention, clips, snapshots, analysis frames and the live relay.
 *
 * @packageDocumentation
 * @module @wardwatch/recorder
 */
export { createRecorder } from './create-recorder.js';
export type { RecorderOptions, WardwatchRecorder } from './create-recorder.js';
export type { RetentionOptions, DiskUsage } from './retention.js';
export { createProcessRunner } from './process-runner.js';
export type { ManagedProcess, ProcessExit, ProcessRunner, ProcessRunnerOptions, SpawnOptions } from './process-runner.js';
export { detectCapabilities } from './ffmpeg-capabilities.js';
export type { FfmpegCapabilities } from './ffmpeg-capabilities.js';
export { resolveFfmpegPath, resolveFfprobePath } from './ffmpeg-binaries.js';
export { probeMedia } from './probe-media.js';
export type { MediaInfo } from './probe-media.js';
export { segmentRelativePath } from './segment-path.js';
export { createLiveGateway, liveStreamName } from './live-gateway.js';
export type { LiveGateway, LiveGatewayOptions, LivePlayUrls, LiveViewer } from './live-gateway.js';
