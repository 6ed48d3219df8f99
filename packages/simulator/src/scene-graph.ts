/** What a camera's picture shows. `static`: colour bars; `street`: a road with moving objects and scheduled vehicles. */
export type SceneKind = 'static' | 'street';

/** Picture faults for tamper analytics. */
export type PictureFault = 'normal' | 'black' | 'covered' | 'blurred' | 'scene-changed' | 'night';

/** One scheduled vehicle pass in front of one camera, in wall-clock ms. */
export interface VehiclePass {
  /** Plate text drawn on the vehicle, e.g. `30A-123.45`. */
  plate: string;
  /** Wall-clock time (ms since the epoch) the vehicle enters the picture. */
  startMs: number;
  /** How long it takes to cross the picture. */
  durationMs: number;
  /** When set, the pass repeats with this period. */
  repeatEveryMs?: number | undefined;
}

/** Everything the lavfi graph of one stream depends on. */
export interface SceneGraphSpec {
  width: number;
  height: number;
  fps: number;
  scene: SceneKind;
  picture: PictureFault;
  /** TTF font file for every text. */
  fontFile: string;
  /** Text file with the OSD title lines (camera name, PTZ position); re-read every frame. */
  osdFile: string;
  /** Vehicle passes for the street scene. */
  vehicles: readonly VehiclePass[];
  /** Camera clock minus wall clock, in ms. */
  driftMs: number;
}

/** Escapes a value for a filter option inside a lavfi graph (option level, then graph level). */
export function graphValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;=\s]/g, (c) => `\\${c}`);
}

/** Font size used for the OSD of a picture `height` pixels high. */
export function osdFontSize(height: number): number {
  return Math.max(10, Math.round(height / 16));
}

/**
 * The drawtext filter that burns the camera clock into the picture at the bottom left:
 * `YYYY-MM-DD HH:MM:SS` local time of `startEpochMs + pts`, white on an opaque black box.
 * Exported so a test can render the very same text for a known time and compare pixels.
 */
export function clockDrawtext(fontFile: string, height: number, startEpochMs: number): string {
  const fs = osdFontSize(height);
  const epoch = (startEpochMs / 1000).toFixed(3);
  return (
    `drawtext=fontfile=${graphValue(fontFile)}:fontsize=${fs}:fontcolor=white:box=1:boxcolor=black:boxborderw=4` +
    `:x=8:y=h-${fs}-12:text=${graphValue(`%{pts:localtime:${epoch}}`)}`
  );
}

/** Region (x, y, w, h) of the picture covered by the burned-in clock; used by the time check. */
export function clockRegion(height: number): { x: number; y: number; w: number; h: number } {
  const fs = osdFontSize(height);
  const even = (v: number): number => v - (v % 2);
  return { x: 4, y: even(height - fs - 16), w: even(Math.round(fs * 12.5)), h: even(fs + 8) };
}

function staticBase(w: number, h: number, fps: number): string {
  return `smptebars=size=${w}x${h}:rate=${fps}`;
}

function streetBase(spec: SceneGraphSpec, startEpochMs: number): string {
  const { width: w, height: h, fps } = spec;
  const fs = osdFontSize(h);
  const font = graphValue(spec.fontFile);
  const parts = [
    `color=c=0x3c3c3c:size=${w}x${h}:rate=${fps}`,
    `drawbox=x=0:y=0:w=iw:h=ih*0.22:color=0x5f7f3a:t=fill`,
    `drawbox=x=0:y=ih*0.80:w=iw:h=ih*0.20:color=0x9a9a9a:t=fill`,
    `drawbox=x=0:y=ih*0.50:w=iw:h=ih*0.012:color=0xe0e0e0:t=fill`,
  ];
  // Ambient motion: two pedestrians on the pavement and a scooter in the far lane. Positions follow the
  // camera clock (T), so a snapshot shows them where the stream does.
  const T = `(t+${((startEpochMs / 1000) % 100_000).toFixed(3)})`;
  const blob = (color: string, size: number, x: string, y: string): string =>
    `drawtext=fontfile=${font}:fontsize=${size}:text=${graphValue('\u2588')}:fontcolor=${color}:x=${graphValue(x)}:y=${graphValue(y)}`;
  parts.push(blob('0xd2691e', Math.round(fs * 1.2), `mod(${T}*25,w+40)-20`, 'h*0.83'));
  parts.push(blob('0x4169e1', Math.round(fs * 1.2), `w-mod(${T}*18+200,w+40)`, 'h*0.86'));
  parts.push(blob('0xffd700', Math.round(fs * 1.5), `mod(${T}*60+100,w+80)-40`, 'h*0.28'));
  // Scheduled vehicles with a readable plate, in the near lane, left to right.
  const startWall = startEpochMs - spec.driftMs;
  for (const v of spec.vehicles) {
    const a = (v.startMs - startWall) / 1000;
    const d = v.durationMs / 1000;
    const p = v.repeatEveryMs ? v.repeatEveryMs / 1000 : 0;
    if (!p && a + d < 0) continue;
    const local = p ? `mod(t-(${a.toFixed(3)}),${p.toFixed(3)})` : `(t-(${a.toFixed(3)}))`;
    const enable = p ? `gte(t,${a.toFixed(3)})*lt(${local},${d.toFixed(3)})` : `between(t,${a.toFixed(3)},${(a + d).toFixed(3)})`;
    const x = `-tw*2+(w+tw*3)*${local}/${d.toFixed(3)}`;
    const bodyBorder = Math.round(fs * 1.4);
    parts.push(
      `drawtext=fontfile=${font}:fontsize=${fs}:text=${graphValue(v.plate)}:fontcolor=0x1e50a0:box=1:boxcolor=0x1e50a0:boxborderw=${bodyBorder}` +
        `:x=${graphValue(x)}:y=${graphValue('h*0.62')}:enable=${graphValue(enable)}`,
    );
    parts.push(
      `drawtext=fontfile=${font}:fontsize=${fs}:text=${graphValue(v.plate)}:fontcolor=black:box=1:boxcolor=white:boxborderw=3` +
        `:x=${graphValue(x)}:y=${graphValue('h*0.62')}:enable=${graphValue(enable)}`,
    );
  }
  return parts.join(',');
}

/** Builds the lavfi graph of one stream for an encoder run starting at camera-clock `startEpochMs`. */
export function sceneGraph(spec: SceneGraphSpec, startEpochMs: number): string {
  const { width: w, height: h, fps } = spec;
  let base: string;
  switch (spec.picture) {
    case 'black':
      base = `color=c=black:size=${w}x${h}:rate=${fps}`;
      break;
    case 'covered':
      base = `color=c=0x2b231e:size=${w}x${h}:rate=${fps},noise=alls=6:allf=t`;
      break;
    case 'scene-changed':
      base = `rgbtestsrc=size=${w}x${h}:rate=${fps},vflip,drawbox=x=iw*0.3:y=ih*0.3:w=iw*0.4:h=ih*0.4:color=0x804020:t=fill`;
      break;
    default:
      base = spec.scene === 'street' ? streetBase(spec, startEpochMs) : staticBase(w, h, fps);
  }
  const filters = [base];
  if (spec.picture === 'blurred') filters.push(`boxblur=${Math.max(2, Math.round(h / 30))}:3`);
  if (spec.picture === 'night') filters.push('eq=brightness=-0.32:saturation=0.15:contrast=0.7', 'noise=alls=28:allf=t');
  const fs = osdFontSize(h);
  filters.push(
    `drawtext=fontfile=${graphValue(spec.fontFile)}:fontsize=${fs}:fontcolor=white:box=1:boxcolor=black@0.4:boxborderw=4` +
      `:x=8:y=8:line_spacing=4:expansion=none:reload=1:textfile=${graphValue(spec.osdFile)}`,
  );
  filters.push(clockDrawtext(spec.fontFile, h, startEpochMs));
  filters.push('format=yuv420p');
  return filters.join(',');
}
