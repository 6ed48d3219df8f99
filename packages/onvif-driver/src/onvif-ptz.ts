import { WardwatchError, type PtzControl, type PtzPreset, type PtzVector } from '@wardwatch/core';
import type { OnvifCam } from './onvif-cam.js';

function checkVector(vector: PtzVector, operation: string, zoomMin: number): { x: number; y: number; zoom: number } {
  const out = { x: vector.pan ?? 0, y: vector.tilt ?? 0, zoom: vector.zoom ?? 0 };
  const bad = (['x', 'y', 'zoom'] as const).filter((axis) => {
    const v = out[axis];
    const min = axis === 'zoom' ? zoomMin : -1;
    return !Number.isFinite(v) || v < min || v > 1;
  });
  if (bad.length > 0) {
    throw new WardwatchError('INVALID_ARGUMENT', `${operation}: pan/tilt must be within -1..1 and zoom within ${zoomMin}..1`, {
      details: { operation, vector },
    });
  }
  return out;
}

/** PTZ control of one ONVIF media profile through the `onvif` package's PTZ calls. */
export class OnvifPtz implements PtzControl {
  constructor(
    private readonly cam: OnvifCam,
    private readonly profileToken: string,
  ) {}

  /** Starts moving at `velocity` until `stop()` or `timeoutMs` elapses. */
  continuousMove(velocity: PtzVector, timeoutMs?: number): Promise<void> {
    return Promise.resolve().then(() => this.cam.continuousMove(this.profileToken, checkVector(velocity, 'ContinuousMove', -1), timeoutMs));
  }

  /** Moves to an absolute position. */
  absoluteMove(position: PtzVector): Promise<void> {
    return Promise.resolve().then(() => this.cam.absoluteMove(this.profileToken, checkVector(position, 'AbsoluteMove', 0)));
  }

  /** Moves by a relative translation. */
  relativeMove(translation: PtzVector): Promise<void> {
    return Promise.resolve().then(() => this.cam.relativeMove(this.profileToken, checkVector(translation, 'RelativeMove', -1)));
  }

  /** Stops any movement. */
  stop(): Promise<void> {
    return this.cam.stop(this.profileToken);
  }

  /** Current position from PTZ GetStatus. */
  position(): Promise<PtzVector> {
    return this.cam.position(this.profileToken);
  }

  /** Lists stored presets. */
  presets(): Promise<PtzPreset[]> {
    return this.cam.presets(this.profileToken);
  }

  /** Moves to a preset. */
  gotoPreset(token: string): Promise<void> {
    return this.cam.gotoPreset(this.profileToken, token);
  }

  /** Stores the current position as a preset; returns its token. */
  setPreset(name: string): Promise<string> {
    return this.cam.setPreset(this.profileToken, name);
  }

  /** Moves to the home position. */
  home(): Promise<void> {
    return this.cam.home(this.profileToken);
  }
}
