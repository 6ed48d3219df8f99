import type { Analyzer } from '../contracts/analyzer.js';
import type { CameraDriver } from '../contracts/camera-driver.js';
import type { Clock } from '../contracts/clock.js';
import type { Logger } from '../contracts/logger.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import type { Plugin, PluginTeardown } from './define-plugin.js';

/** The drivers, analyzers and event types registered with a station, and the plugins' teardowns. */
export interface PluginRegistry {
  readonly drivers: ReadonlyMap<string, CameraDriver>;
  readonly analyzers: ReadonlyMap<string, Analyzer>;
  readonly eventTypes: ReadonlySet<string>;
  readonly plugins: readonly string[];
  addDriver(driver: CameraDriver, owner?: string): void;
  addAnalyzer(analyzer: Analyzer, owner?: string): void;
  /** Runs a plugin's setup; throws `PLUGIN_MISSING_REQUIREMENT` or `PLUGIN_DUPLICATE` before any contribution lands. */
  register(plugin: Plugin): void;
  /** Runs the teardowns in reverse registration order; returns the errors they threw. */
  teardown(): Promise<unknown[]>;
}

/** Creates the registry a station keeps its contributions in (internal). */
export function createPluginRegistry(options: { clock: Clock; logger: Logger }): PluginRegistry {
  const drivers = new Map<string, CameraDriver>();
  const analyzers = new Map<string, Analyzer>();
  const eventTypes = new Set<string>();
  const plugins: string[] = [];
  const teardowns: Array<{ name: string; teardown: PluginTeardown }> = [];

  const addDriver = (driver: CameraDriver, owner = 'station options'): void => {
    if (typeof driver?.id !== 'string' || driver.id.length === 0 || typeof driver.connect !== 'function') {
      throw new WardwatchError('INVALID_CONFIG', `Invalid driver from ${owner}: a driver needs a non-empty id and connect()`);
    }
    if (drivers.has(driver.id)) {
      throw new WardwatchError('PLUGIN_DUPLICATE', `Driver "${driver.id}" (from ${owner}) is already registered`, { details: { driver: driver.id, owner } });
    }
    drivers.set(driver.id, driver);
  };
  const addAnalyzer = (analyzer: Analyzer, owner = 'station options'): void => {
    if (typeof analyzer?.name !== 'string' || analyzer.name.length === 0 || typeof analyzer.analyze !== 'function') {
      throw new WardwatchError('INVALID_CONFIG', `Invalid analyzer from ${owner}: an analyzer needs a non-empty name and analyze()`);
    }
    if (analyzers.has(analyzer.name)) {
      throw new WardwatchError('PLUGIN_DUPLICATE', `Analyzer "${analyzer.name}" (from ${owner}) is already registered`, { details: { analyzer: analyzer.name, owner } });
    }
    analyzers.set(analyzer.name, analyzer);
  };

  const register = (plugin: Plugin): void => {
    if (typeof plugin?.name !== 'string' || plugin.name.length === 0 || typeof plugin.setup !== 'function') {
      throw new WardwatchError('INVALID_CONFIG', 'Invalid plugin: a plugin needs a non-empty name and setup()');
    }
    if (plugins.includes(plugin.name)) {
      throw new WardwatchError('PLUGIN_DUPLICATE', `Plugin "${plugin.name}" is already registered`, { details: { plugin: plugin.name } });
    }
    const missing = (plugin.requires ?? []).filter((name) => !plugins.includes(name));
    if (missing.length > 0) {
      throw new WardwatchError(
        'PLUGIN_MISSING_REQUIREMENT',
        `Plugin "${plugin.name}" requires ${missing.map((m) => `"${m}"`).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not registered (register ${missing.length === 1 ? 'it' : 'them'} first)`,
        { details: { plugin: plugin.name, missing } },
      );
    }
    // Stage contributions so a failing setup leaves the registry unchanged.
    const staged = { drivers: [] as CameraDriver[], analyzers: [] as Analyzer[], eventTypes: [] as string[] };
    const owner = `plugin "${plugin.name}"`;
    const result = plugin.setup({
      registerDriver: (driver) => {
        if (drivers.has(driver?.id) || staged.drivers.some((d) => d.id === driver?.id)) {
          throw new WardwatchError('PLUGIN_DUPLICATE', `Driver "${driver.id}" (from ${owner}) is already registered`, { details: { driver: driver.id, owner } });
        }
        staged.drivers.push(driver);
      },
      registerAnalyzer: (analyzer) => {
        if (analyzers.has(analyzer?.name) || staged.analyzers.some((a) => a.name === analyzer?.name)) {
          throw new WardwatchError('PLUGIN_DUPLICATE', `Analyzer "${analyzer.name}" (from ${owner}) is already registered`, { details: { analyzer: analyzer.name, owner } });
        }
        staged.analyzers.push(analyzer);
      },
      registerEventType: (type) => {
        if (eventTypes.has(type) || staged.eventTypes.includes(type)) {
          throw new WardwatchError('PLUGIN_DUPLICATE', `Event type "${type}" (from ${owner}) is already registered`, { details: { eventType: type, owner } });
        }
        staged.eventTypes.push(type);
      },
      clock: options.clock,
      logger: options.logger.child({ plugin: plugin.name }),
    });
    for (const d of staged.drivers) addDriver(d, owner);
    for (const a of staged.analyzers) addAnalyzer(a, owner);
    for (const t of staged.eventTypes) eventTypes.add(t);
    plugins.push(plugin.name);
    if (typeof result === 'function') teardowns.push({ name: plugin.name, teardown: result });
  };

  const teardown = async (): Promise<unknown[]> => {
    const errors: unknown[] = [];
    while (teardowns.length > 0) {
      const { name, teardown: fn } = teardowns.pop()!;
      try {
        await fn();
      } catch (error) {
        options.logger.error({ plugin: name, err: error }, 'plugin teardown failed');
        errors.push(error);
      }
    }
    return errors;
  };

  return { drivers, analyzers, eventTypes, plugins, addDriver, addAnalyzer, register, teardown };
}
