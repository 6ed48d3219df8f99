/**
 * Virtual ONVIF/RTSP cameras with fault injection, for tests, demos and driver authors.
 *
 * @packageDocumentation
 * @module @wardwatch/simulator
 */
export { startSimulator } from './start-simulator.js';
export type { Simulator } from './start-simulator.js';
export { SimCamera, RTSP_PATHS } from './sim-camera.js';
export type { MalformedKind, TamperKind } from './sim-camera.js';
export type { SimulatorOptions, SimCameraOptions, StreetVehicle, CameraLocation, RtspAuthMode, OnvifAuthMode } from './simulator-options.js';
export { DEFAULT_MAIN, DEFAULT_SUB } from './simulator-options.js';
export type { StreamSettings } from './h264-feed.js';
export type { SceneKind, PictureFault } from './scene-graph.js';
export { clockDrawtext, clockRegion } from './scene-graph.js';
export type { PtzPosition } from './ptz-state.js';
export { SimulatorError } from './simulator-error.js';
export { findFfmpeg } from './find-ffmpeg.js';
export { cameraEndpointUuid } from './ws-discovery-responder.js';
