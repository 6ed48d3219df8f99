import type { Analyzer } from '../contracts/analyzer.js';
import type { CameraDriver } from '../contracts/camera-driver.js';
import type { Clock } from '../contracts/clock.js';
import type { Logger } from '../contracts/logger.js';
import type { StationEventType } from '../model/station-event.js';

/** What a plugin's `setup` is given to register its contributions. */
export interface PluginContext {
  /** Registers a camera driver; a duplicate driver id throws `PLUGIN_DUPLICATE`. */
  registerDriver(driver: CameraDriver): void;
  /** Registers an analyzer; a duplicate analyzer name throws `PLUGIN_DUPLICATE`. */
  registerAnalyzer(analyzer: Analyzer): void;
  /**
   * Declares an event type the plugin emits (its payload is typed by augmenting `StationEventMap`);
   * a type declared twice throws `PLUGIN_DUPLICATE`.
   */
  registerEventType(type: StationEventType): void;
  /** The station clock. */
  clock: Clock;
  /** A logger bound to the plugin name. */
  logger: Logger;
}

/** A plugin's teardown, called once when the station stops. */
export type PluginTeardown = () => void | Promise<void>;

/** A station plugin: a unique name, the plugins it requires, and a setup that registers contributions. */
export interface Plugin {
  /** Unique plugin name. */
  readonly name: string;
  /** Names of plugins that must be registered before this one. @default [] */
  readonly requires?: readonly string[];
  /** Registers drivers, analyzers and event types; returns the teardown, if any. */
  setup(context: PluginContext): PluginTeardown | void;
}

/** Declares a plugin (identity at runtime; gives the object its type). */
export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}
