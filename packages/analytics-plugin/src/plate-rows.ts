import { type OrientedBox, boundsOf } from './oriented-box.js';

/** A recognised text line with its oriented box, in image pixels. */
export interface PlateTextLine {
  text: string;
  confidence: number;
  box: OrientedBox;
}

/** Rows of one plate may differ in angle by at most this (radians): both rows tilt together. */
const MAX_ROW_ANGLE = (10 * Math.PI) / 180;

/** Where `b`'s centre is in `a`'s frame: along `a`'s reading direction (du) and across it, downwards (dv). */
function offset(a: OrientedBox, b: OrientedBox): { du: number; dv: number } {
  const angle = (a.angle + b.angle) / 2;
  const dx = b.cx - a.cx;
  const dy = b.cy - a.cy;
  return { du: dx * Math.cos(angle) + dy * Math.sin(angle), dv: -dx * Math.sin(angle) + dy * Math.cos(angle) };
}

/**
 * Pairs of lines stacked like the two rows of a plate, measured in the lines' own (tilted) frame rather than by
 * axis-aligned boxes, which overlap when a plate is tilted or small: same angle, the second row one row-height
 * below the first (its centre 0.45–1.7 line thicknesses down), centred under it. Each line is in at most one pair,
 * closest pairs first.
 */
export function stackedRows<T extends PlateTextLine>(lines: readonly T[]): Array<[T, T]> {
  const scored: Array<{ top: T; bottom: T; score: number }> = [];
  for (const top of lines) {
    for (const bottom of lines) {
      if (top === bottom) continue;
      const a = top.box;
      const b = bottom.box;
      let da = Math.abs(a.angle - b.angle);
      if (da > Math.PI / 2) da = Math.PI - da;
      if (da > MAX_ROW_ANGLE) continue;
      const thickness = Math.max(a.thickness, b.thickness);
      const { du, dv } = offset(a, b);
      const longer = Math.max(a.length, b.length);
      const shorter = Math.min(a.length, b.length);
      if (dv < 0.45 * thickness || dv > 1.7 * thickness) continue;
      if (Math.abs(du) > 0.3 * longer) continue;
      if (shorter < 0.3 * longer) continue;
      if (Math.min(a.thickness, b.thickness) < 0.5 * thickness) continue;
      scored.push({ top, bottom, score: Math.abs(du) / longer + Math.abs(dv / thickness - 1) });
    }
  }
  scored.sort((x, y) => x.score - y.score);
  const used = new Set<T>();
  const out: Array<[T, T]> = [];
  for (const { top, bottom } of scored) {
    if (used.has(top) || used.has(bottom)) continue;
    used.add(top);
    used.add(bottom);
    out.push([top, bottom]);
  }
  return out;
}

/** Whether one detected region is shaped like both rows of a plate merged (a square-ish block, not a line). */
export function looksLikeTwoRows(box: OrientedBox): boolean {
  const aspect = box.length / Math.max(1, box.thickness);
  return aspect >= 0.9 && aspect <= 2.4;
}

/** The two halves of a merged two-row region: top and bottom rows. */
export function splitRows(box: OrientedBox): [OrientedBox, OrientedBox] {
  const half = box.thickness / 2;
  const shift = half / 2;
  const nx = -Math.sin(box.angle);
  const ny = Math.cos(box.angle);
  const row = (sign: number): OrientedBox => ({ ...box, cx: box.cx + sign * shift * nx, cy: box.cy + sign * shift * ny, thickness: half * 1.15 });
  return [row(-1), row(1)];
}

/** The axis-aligned union of oriented boxes, in pixels. */
export function unionBounds(boxes: readonly OrientedBox[]): { x: number; y: number; width: number; height: number } {
  const all = boxes.map(boundsOf);
  const x = Math.min(...all.map((b) => b.x));
  const y = Math.min(...all.map((b) => b.y));
  const x1 = Math.max(...all.map((b) => b.x + b.width));
  const y1 = Math.max(...all.map((b) => b.y + b.height));
  return { x, y, width: x1 - x, height: y1 - y };
}
