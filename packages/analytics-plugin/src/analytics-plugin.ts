import { type Analyzer, type Plugin, definePlugin } from '@wardwatch/core';
import { type FaceAnalyzerOptions, createFaceAnalyzer } from './face-analyzer.js';
import { type MotionAnalyzerOptions, createMotionAnalyzer } from './motion-analyzer.js';
import { type PlateAnalyzerOptions, createPlateAnalyzer } from './plate-analyzer.js';
import { type PlateReader, createPlateReader } from './plate-reader.js';
import { type TamperAnalyzerOptions, createTamperAnalyzer } from './tamper-analyzer.js';

/** Options of {@link analyticsPlugin}: each analyzer's station-wide options, or `false` to leave it out. */
export interface AnalyticsPluginOptions {
  /** Plugin name. @default 'analytics' */
  name?: string;
  /** The `motion` analyzer. @default {} */
  motion?: MotionAnalyzerOptions | false;
  /** The `tamper` analyzer (and `picture.quality`). @default {} */
  tamper?: TamperAnalyzerOptions | false;
  /** The `plates` analyzer; its OCR models load when the first camera that enables it starts. @default {} */
  plates?: PlateAnalyzerOptions | false;
  /** The `faces` analyzer; its models load when the first camera that enables it starts. @default {} */
  faces?: FaceAnalyzerOptions | false;
}

/** The analytics plugin, with the analyzers it registers. */
export type AnalyticsPlugin = Plugin & { readonly analyzers: readonly Analyzer[] };

/**
 * The WardWatch analytics plugin: registers the `motion`, `tamper`, `plates` and `faces`
 * analyzers with a station. Cameras opt in per analyzer through `analytics.analyzers` in their
 * spec, with per-camera options in `analytics.options[<analyzer name>]` (zones, masks, watchlist opt-in...).
 */
export function analyticsPlugin(options: AnalyticsPluginOptions = {}): AnalyticsPlugin {
  const analyzers: Analyzer[] = [];
  // A plate reader the plugin creates (on first use) is the plugin's to release at teardown.
  let ownReader: Promise<PlateReader> | undefined;
  if (options.motion !== false) analyzers.push(createMotionAnalyzer(options.motion ?? {}));
  if (options.tamper !== false) analyzers.push(createTamperAnalyzer(options.tamper ?? {}));
  if (options.plates !== false) {
    const plates = options.plates ?? {};
    const plateReader = plates.plateReader ?? (() => (ownReader ??= createPlateReader(plates.reader)));
    analyzers.push(createPlateAnalyzer({ ...plates, plateReader }));
  }
  if (options.faces !== false) analyzers.push(createFaceAnalyzer(options.faces ?? {}));
  return definePlugin({
    name: options.name ?? 'analytics',
    analyzers,
    setup(context) {
      for (const analyzer of analyzers) context.registerAnalyzer(analyzer);
      context.logger.info({ analyzers: analyzers.map((a) => a.name) }, 'analytics analyzers registered');
      return async () => {
        const reader = ownReader;
        ownReader = undefined;
        // A reader whose models failed to load has nothing to release (the error was reported by the analyzer).
        if (reader) await reader.then((r) => r.close(), () => undefined);
      };
    },
  });
}
