/** A pan/tilt/zoom position in ONVIF generic spaces: pan, tilt in [-1, 1], zoom in [0, 1]. */
export interface PtzPosition {
  pan: number;
  tilt: number;
  zoom: number;
}

/** A stored PTZ preset. */
export interface PtzPreset {
  token: string;
  name: string;
  position: PtzPosition;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/**
 * The mechanical state of a PTZ camera: position, continuous motion (velocity integrated over time,
 * with an optional timeout), presets and a home position. `onChange` runs when the position changes.
 */
export class PtzState {
  private position: PtzPosition = { pan: 0, tilt: 0, zoom: 0 };
  private home: PtzPosition = { pan: 0, tilt: 0, zoom: 0 };
  private velocity: PtzPosition = { pan: 0, tilt: 0, zoom: 0 };
  private moveTimer: NodeJS.Timeout | undefined;
  private moveUntil = 0;
  private lastTick = 0;
  private nextPreset = 1;
  /** Stored presets by token. */
  readonly presets = new Map<string, PtzPreset>();

  constructor(private readonly onChange: (p: PtzPosition) => void) {}

  /** Current position. */
  get(): PtzPosition {
    this.tick();
    return { ...this.position };
  }

  /** Whether a continuous move is running. */
  get moving(): boolean {
    return this.moveTimer !== undefined;
  }

  /** Moves to an absolute position (missing axes unchanged). */
  absolute(p: Partial<PtzPosition>): void {
    this.stop();
    this.set({ pan: p.pan ?? this.position.pan, tilt: p.tilt ?? this.position.tilt, zoom: p.zoom ?? this.position.zoom });
  }

  /** Moves by a translation. */
  relative(d: Partial<PtzPosition>): void {
    this.stop();
    this.set({ pan: this.position.pan + (d.pan ?? 0), tilt: this.position.tilt + (d.tilt ?? 0), zoom: this.position.zoom + (d.zoom ?? 0) });
  }

  /** Starts a continuous move at `v` (generic speed units per second) for at most `timeoutMs`. */
  continuous(v: Partial<PtzPosition>, timeoutMs = 10_000): void {
    this.tick();
    this.velocity = { pan: v.pan ?? 0, tilt: v.tilt ?? 0, zoom: v.zoom ?? 0 };
    this.lastTick = Date.now();
    this.moveUntil = this.lastTick + timeoutMs;
    if (!this.moveTimer) this.moveTimer = setInterval(() => this.tick(), 100);
  }

  /** Stops any continuous move. */
  stop(): void {
    this.tick();
    this.velocity = { pan: 0, tilt: 0, zoom: 0 };
    if (this.moveTimer) clearInterval(this.moveTimer);
    this.moveTimer = undefined;
  }

  /** Goes to the home position. */
  gotoHome(): void {
    this.absolute(this.home);
  }

  /** Stores the current position as home. */
  setHome(): void {
    this.home = this.get();
  }

  /** Stores a preset at the current position; returns its token. */
  setPreset(name: string | undefined, token?: string): string {
    const t = token && this.presets.has(token) ? token : `${this.nextPreset++}`;
    this.presets.set(t, { token: t, name: name ?? `Preset ${t}`, position: this.get() });
    return t;
  }

  /** Goes to a preset; false when it does not exist. */
  gotoPreset(token: string): boolean {
    const p = this.presets.get(token);
    if (!p) return false;
    this.absolute(p.position);
    return true;
  }

  /** Removes a preset; false when it does not exist. */
  removePreset(token: string): boolean {
    return this.presets.delete(token);
  }

  private set(p: PtzPosition): void {
    const next = { pan: clamp(p.pan, -1, 1), tilt: clamp(p.tilt, -1, 1), zoom: clamp(p.zoom, 0, 1) };
    const changed = next.pan !== this.position.pan || next.tilt !== this.position.tilt || next.zoom !== this.position.zoom;
    this.position = next;
    if (changed) this.onChange({ ...next });
  }

  private tick(): void {
    if (!this.moveTimer) return;
    const now = Date.now();
    const until = Math.min(now, this.moveUntil);
    const dt = Math.max(0, until - this.lastTick) / 1000;
    this.lastTick = now;
    const v = this.velocity;
    this.set({ pan: this.position.pan + v.pan * dt * 0.5, tilt: this.position.tilt + v.tilt * dt * 0.5, zoom: this.position.zoom + v.zoom * dt * 0.5 });
    if (now >= this.moveUntil) {
      clearInterval(this.moveTimer);
      this.moveTimer = undefined;
      this.velocity = { pan: 0, tilt: 0, zoom: 0 };
    }
  }
}
