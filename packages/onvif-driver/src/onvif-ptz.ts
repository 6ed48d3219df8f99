import { WardwatchError, type PtzControl, type PtzPreset, type PtzVector } from '@wardwatch/core';
import type { OnvifCam } from './onvif-cam.js';
import { xmlEscape } from './ws-username-token.js';
import { asArray, attr, child, path, text } from './xml-tree.js';

const PTZ = 'http://www.onvif.org/ver20/ptz/wsdl';
const SCHEMA = 'http://www.onvif.org/ver10/schema';

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

function vectorXml(element: string, v: { x: number; y: number; zoom: number }): string {
  return `<${element}><PanTilt x="${v.x}" y="${v.y}" xmlns="${SCHEMA}"/><Zoom x="${v.zoom}" xmlns="${SCHEMA}"/></${element}>`;
}

function isoSeconds(ms: number): string {
  return `PT${Math.max(0, ms / 1000)}S`;
}

function number(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** PTZ control of one ONVIF media profile, through the camera's PTZ service. */
export class OnvifPtz implements PtzControl {
  constructor(
    private readonly cam: OnvifCam,
    private readonly profileToken: string,
  ) {}

  private get token(): string {
    return `<ProfileToken>${xmlEscape(this.profileToken)}</ProfileToken>`;
  }

  private async send(operation: string, inner = ''): Promise<void> {
    await this.cam.call('ptz', operation, `<${operation} xmlns="${PTZ}">${this.token}${inner}</${operation}>`);
  }

  /** Starts moving at `velocity` until `stop()` or `timeoutMs` elapses. */
  async continuousMove(velocity: PtzVector, timeoutMs?: number): Promise<void> {
    const v = checkVector(velocity, 'ContinuousMove', -1);
    await this.send('ContinuousMove', `${vectorXml('Velocity', v)}${timeoutMs ? `<Timeout>${isoSeconds(timeoutMs)}</Timeout>` : ''}`);
  }

  /** Moves to an absolute position. */
  async absoluteMove(position: PtzVector): Promise<void> {
    await this.send('AbsoluteMove', vectorXml('Position', checkVector(position, 'AbsoluteMove', 0)));
  }

  /** Moves by a relative translation. */
  async relativeMove(translation: PtzVector): Promise<void> {
    await this.send('RelativeMove', vectorXml('Translation', checkVector(translation, 'RelativeMove', -1)));
  }

  /** Stops any movement (pan-tilt and zoom). */
  stop(): Promise<void> {
    return this.send('Stop', '<PanTilt>true</PanTilt><Zoom>true</Zoom>');
  }

  /**
   * Current position from GetStatus: only the axes the device reports; `{}` (unknown) when its
   * status carries no position, never an invented `{0,0,0}`.
   */
  async position(): Promise<PtzVector> {
    const { body } = await this.cam.call('ptz', 'GetStatus', `<GetStatus xmlns="${PTZ}">${this.token}</GetStatus>`);
    const position = path(body, 'GetStatusResponse', 'PTZStatus', 'Position');
    const panTilt = child(position, 'PanTilt');
    const pan = number(attr(panTilt, 'x'));
    const tilt = number(attr(panTilt, 'y'));
    const zoom = number(attr(child(position, 'Zoom'), 'x'));
    return { ...(pan !== undefined ? { pan } : {}), ...(tilt !== undefined ? { tilt } : {}), ...(zoom !== undefined ? { zoom } : {}) };
  }

  /** Lists stored presets. */
  async presets(): Promise<PtzPreset[]> {
    const { body } = await this.cam.call('ptz', 'GetPresets', `<GetPresets xmlns="${PTZ}">${this.token}</GetPresets>`);
    return asArray(child(body, 'GetPresetsResponse')?.Preset).flatMap((preset) => {
      const token = attr(preset, 'token');
      return token ? [{ token, name: text(preset, 'Name') || token }] : [];
    });
  }

  /** Moves to a preset. */
  gotoPreset(token: string): Promise<void> {
    return this.send('GotoPreset', `<PresetToken>${xmlEscape(token)}</PresetToken>`);
  }

  /** Stores the current position as a preset; returns its token. */
  async setPreset(name: string): Promise<string> {
    const { body } = await this.cam.call('ptz', 'SetPreset', `<SetPreset xmlns="${PTZ}">${this.token}<PresetName>${xmlEscape(name)}</PresetName></SetPreset>`);
    const token = text(child(body, 'SetPresetResponse'), 'PresetToken');
    if (!token) {
      throw new WardwatchError('CAMERA_PROTOCOL_ERROR', 'SetPreset answer has no PresetToken', { details: { operation: 'SetPreset' } });
    }
    return token;
  }

  /** Moves to the home position. */
  home(): Promise<void> {
    return this.send('GotoHomePosition');
  }
}
