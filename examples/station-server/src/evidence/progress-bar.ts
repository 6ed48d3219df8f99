/** A text progress bar for terminals (redrawn in place) and logs (one line per 10 %). */
export interface ProgressBar {
  update(ratio: number, label: string): void;
  /** Ends the bar line. */
  finish(): void;
}

/** Creates a progress bar writing to `out`; `tty` redraws one line, otherwise a line is printed every 10 %. */
export function createProgressBar(out: { write(text: string): unknown }, options: { tty: boolean; width?: number }): ProgressBar {
  const width = options.width ?? 30;
  let lastDecile = -1;
  let drawn = false;
  return {
    update(ratio, label) {
      const r = Math.max(0, Math.min(1, ratio));
      const pct = Math.floor(r * 100);
      if (options.tty) {
        const full = Math.round(r * width);
        out.write(`\r[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(pct).padStart(3)}% ${label.padEnd(16)}`);
        drawn = true;
      } else {
        const decile = Math.floor(pct / 10);
        if (decile > lastDecile) {
          lastDecile = decile;
          out.write(`progress ${pct}% ${label}\n`);
        }
      }
    },
    finish() {
      if (options.tty && drawn) out.write('\n');
    },
  };
}
