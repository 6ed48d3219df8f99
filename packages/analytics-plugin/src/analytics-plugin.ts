import { type Analyzer, type Plugin, definePlugin } from '@wardwatch/core';
import { type FaceAnalyzerOptions, createFaceAnalyzer } from './face-analyzer.js';
import { type MotionAnalyzerOptions, createMotionAnalyzer } from './motion-analyzer.js';
import { type PlateAnalyzerOptions, createPlateAnalyzer } from './plate-analyzer.js';
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
  if (options.motion !== false) analyzers.push(createMotionAnalyzer(options.motion ?? {}));
  if (options.tamper !== false) analyzers.push(createTamperAnalyzer(options.tamper ?? {}));
  if (options.plates !== false) analyzers.push(createPlateAnalyzer(options.plates ?? {}));
  if (options.faces !== false) analyzers.push(createFaceAnalyzer(options.faces ?? {}));
  return definePlugin({
    name: options.name ?? 'analytics',
    analyzers,
    setup(context) {
      for (const analyzer of analyzers) context.registerAnalyzer(analyzer);
      context.logger.info({ analyzers: analyzers.map((a) => a.name) }, 'analytics analyzers registered');
    },
  });
}
