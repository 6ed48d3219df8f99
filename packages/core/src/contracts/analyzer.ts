import type { Observable } from 'rxjs';
import type { CameraSpec } from '../model/camera-spec.js';
import type { StationEvent } from '../model/station-event.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { Frame, FrameOptions } from './recorder.js';

/** What an analyzer is given for one camera. */
export interface AnalyzerContext {
  camera: CameraSpec;
  /** This analyzer's options for this camera (`camera.analytics.options[name]`). */
  options: Record<string, unknown>;
  clock: Clock;
  logger: Logger;
}

/** A detection is a station event (motion, tamper, plate, face, or a plugin's own type). */
export type Detection = StationEvent;

/** Turns a camera's frames into detections. */
export interface Analyzer {
  /** Unique name cameras enable it by (e.g. `motion`). */
  readonly name: string;
  /** The frames it wants; the station asks the recorder for these. */
  readonly frameOptions?: Partial<FrameOptions>;
  /** Consumes frames while subscribed and emits detections. */
  analyze(frames$: Observable<Frame>, context: AnalyzerContext): Observable<Detection>;
}
