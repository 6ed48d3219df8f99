import { Subject } from 'rxjs';
import { toWardwatchError, WardwatchError } from '../errors/wardwatch-error.js';
import type { StationEvent } from '../model/station-event.js';
import { createPluginRegistry } from '../plugins/plugin-registry.js';
import { recorderContextOf } from './create-recorder-context.js';
import { createStationServices } from './create-station-services.js';
import { createEventPersister } from './event-persister.js';
import { resolveStationOptions } from './resolve-station-options.js';
import { createSegmentIndex } from './segment-index.js';
import type { Station, StationOptions } from './station.js';
import { createStationCameras } from './station-cameras.js';
import { stationUptime } from './station-uptime.js';

type Phase = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * Creates a station: registers drivers, analyzers and plugins (throwing `PLUGIN_DUPLICATE` or
 * `PLUGIN_MISSING_REQUIREMENT` at once), and wires cameras, recording, health, events and services.
 * Nothing runs until `start()`. The station never closes the storage it is given: its creator does,
 * after `stop()`. A stopped station cannot be started again; create a new one.
 */
export function createStation(options: StationOptions): Station {
  const resolved = resolveStationOptions(options);
  const { storage, clock, logger } = resolved;
  const registry = createPluginRegistry({ clock, logger });
  for (const driver of options.drivers ?? []) registry.addDriver(driver);
  for (const analyzer of options.analyzers ?? []) registry.addAnalyzer(analyzer);
  for (const plugin of options.plugins ?? []) registry.register(plugin);
  const recorder = options.recorder;
  const events$ = new Subject<StationEvent>();
  const persister = createEventPersister({ events: storage.events, clock, logger, ...resolved.events });
  let phase: Phase = 'created';

  const emit = (event: StationEvent): void => {
    if (phase === 'stopped') {
      logger.warn({ type: event.type }, 'event emitted after stop was dropped');
      return;
    }
    persister.push(event);
    events$.next(event);
    services.sightings.observe(event);
  };
  const segments = createSegmentIndex({ storage, clock, emit });
  const cameras = createStationCameras({
    storage,
    secrets: options.secrets,
    deps: { drivers: registry.drivers, recorder, analyzers: registry.analyzers, segments, clock, logger, health: resolved.health, emit, events$ },
    drivers: registry.drivers,
    clock,
    logger,
    emit,
    running: () => phase === 'running',
    beforeStart: () => phase === 'created',
  });
  const services = createStationServices(options, resolved, { recorder, emit, clockOffsetOf: (cameraId) => cameras.get(cameraId)?.handle.clockOffsetMs });
  const assertUsable = (): void => {
    if (phase === 'stopping' || phase === 'stopped') throw new WardwatchError('STATION_NOT_RUNNING', `The station is ${phase}`);
  };

  /** Stops every part, collecting the errors (each is logged); the station is stopped either way. */
  const stopParts = async (): Promise<unknown[]> => {
    const errors: unknown[] = [];
    await Promise.all(cameras.all().map((r) => r.disconnect('station stopped')));
    if (recorder) {
      try {
        await recorder.stop();
      } catch (error) {
        errors.push(error);
        logger.error({ err: error }, 'recorder stop failed');
      }
    }
    errors.push(...(await registry.teardown()));
    try {
      await services.sightings.idle();
      await persister.close();
      await storage.flush();
    } catch (error) {
      errors.push(error);
      logger.error({ err: error }, 'flushing storage on stop failed');
    }
    return errors;
  };

  return {
    cameras$: cameras.cameras$,
    camera: (id) => cameras.get(id)?.handle,
    async addCamera(input) {
      assertUsable();
      return cameras.add(input);
    },
    async updateCamera(id, patch) {
      assertUsable();
      return cameras.update(id, patch);
    },
    async removeCamera(id) {
      assertUsable();
      return cameras.remove(id);
    },
    events$: events$.asObservable(),
    emit,
    async start() {
      if (phase !== 'created') {
        throw new WardwatchError(phase === 'running' || phase === 'starting' ? 'INVALID_STATE' : 'STATION_NOT_RUNNING', `The station cannot start: it is ${phase}`);
      }
      phase = 'starting';
      try {
        await services.watchlists.load();
        if (recorder) await recorder.start(recorderContextOf(segments, clock, logger.child({ component: 'recorder' })));
        await cameras.loadStored();
        phase = 'running';
        for (const runtime of cameras.all()) runtime.connect();
        logger.info({ cameras: cameras.all().length }, 'station started');
      } catch (error) {
        phase = 'created';
        throw toWardwatchError(error);
      }
    },
    async stop() {
      if (phase === 'stopped' || phase === 'stopping') return;
      phase = 'stopping';
      const errors = await stopParts();
      phase = 'stopped';
      cameras.dispose();
      events$.complete();
      logger.info({}, 'station stopped');
      if (errors.length === 1) throw toWardwatchError(errors[0]);
      if (errors.length > 1) {
        throw new WardwatchError('INTERNAL', `The station stopped with ${errors.length} error(s): ${errors.map((e) => toWardwatchError(e).message).join('; ')}`, { cause: errors[0] });
      }
    },
    get running() {
      return phase === 'running';
    },
    async uptime(cameraId, range) {
      await persister.flush();
      return stationUptime(storage.events, cameraId, range);
    },
    ...services,
    storage,
    recorder,
    drivers: registry.drivers,
    analyzers: registry.analyzers,
    eventTypes: registry.eventTypes,
    clock,
    logger,
  };
}
