import { BehaviorSubject, Subject } from 'rxjs';
import { createAudit } from '../audit/create-audit.js';
import { systemClock } from '../contracts/clock.js';
import { silentLogger } from '../contracts/logger.js';
import { toWardwatchError, WardwatchError } from '../errors/wardwatch-error.js';
import { createEvidenceService } from '../evidence/evidence-service.js';
import { HEALTH_DEFAULTS } from '../health/camera-health.js';
import { computeUptime } from '../health/compute-uptime.js';
import { createIncidentService } from '../incidents/incident-service.js';
import { parseCameraSpec, type CameraSpec } from '../model/camera-spec.js';
import type { CameraStatus } from '../model/camera-status.js';
import type { StationEvent } from '../model/station-event.js';
import { defined } from '../util/defined.js';
import { createPluginRegistry } from '../plugins/plugin-registry.js';
import { createReportService } from '../reports/report-service.js';
import type { Camera } from './camera.js';
import { createCameraRuntime, type CameraRuntime, type CameraRuntimeDeps } from './camera-runtime.js';
import { createEventPersister } from './event-persister.js';
import { recorderContextOf } from './create-recorder-context.js';
import { createSegmentIndex } from './segment-index.js';
import type { Station, StationOptions } from './station.js';
import type { StationHealthOptions } from './station-options.js';

/** The defaults of {@link StationHealthOptions}. */
export const STATION_HEALTH_DEFAULTS: Required<StationHealthOptions> = {
  ...HEALTH_DEFAULTS,
  probeIntervalMs: 5000,
  retryInitialMs: 1000,
  retryMaxMs: 30_000,
  retryJitter: 0.2,
  retryNonRetryableMs: 300_000,
};

type Phase = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * Creates a station: registers drivers, analyzers and plugins (throwing `PLUGIN_DUPLICATE` or
 * `PLUGIN_MISSING_REQUIREMENT` at once), and wires cameras, recording, health, events and services.
 * Nothing runs until `start()`. The station never closes the storage it is given: its creator does,
 * after `stop()`. A stopped station cannot be started again; create a new one.
 */
export function createStation(options: StationOptions): Station {
  const storage = options.storage;
  if (!storage || typeof storage !== 'object' || !storage.cameras || !storage.events) {
    throw new WardwatchError('INVALID_CONFIG', 'Invalid station options: storage: a StorageAdapter is required');
  }
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const health: Required<StationHealthOptions> = { ...STATION_HEALTH_DEFAULTS, ...defined(options.health ?? {}) };
  const registry = createPluginRegistry({ clock, logger });
  for (const driver of options.drivers ?? []) registry.addDriver(driver);
  for (const analyzer of options.analyzers ?? []) registry.addAnalyzer(analyzer);
  for (const plugin of options.plugins ?? []) registry.register(plugin);

  const recorder = options.recorder;
  if (options.evidence && !recorder) {
    throw new WardwatchError('INVALID_CONFIG', 'Invalid station options: evidence: evidence export needs a recorder to cut clips');
  }
  const events$ = new Subject<StationEvent>();
  const persister = createEventPersister({
    events: storage.events,
    clock,
    logger,
    batchSize: options.events?.batchSize ?? 500,
    flushIntervalMs: options.events?.flushIntervalMs ?? 200,
    maxBuffered: options.events?.maxBuffered ?? 100_000,
  });
  let phase: Phase = 'created';
  const runtimes = new Map<string, CameraRuntime>();
  const cameras$ = new BehaviorSubject<readonly Camera[]>([]);
  const publishCameras = (): void => cameras$.next([...runtimes.values()].map((r) => r.handle));

  const emit = (event: StationEvent): void => {
    if (phase === 'stopped') {
      logger.warn({ type: event.type }, 'event emitted after stop was dropped');
      return;
    }
    persister.push(event);
    events$.next(event);
  };

  const segments = createSegmentIndex({ storage, clock, emit });
  const deps: CameraRuntimeDeps = {
    drivers: registry.drivers,
    recorder,
    analyzers: registry.analyzers,
    segments,
    clock,
    logger,
    health,
    emit,
    events$,
  };

  const audit = createAudit({ log: storage.audit, clock });
  const incidents = createIncidentService({
    storage,
    clock,
    emit,
    audit,
    ...(options.incidentCategories ? { categories: options.incidentCategories } : {}),
    ...(options.incidentOutcomes ? { outcomes: options.incidentOutcomes } : {}),
    ...(options.stationName ? { stationName: options.stationName } : {}),
  });
  const reports = createReportService({ storage });
  const evidence =
    options.evidence && recorder
      ? createEvidenceService({
          ...options.evidence,
          storage,
          recorder,
          clock,
          logger,
          emit,
          audit,
          incidents,
          clockOffsetOf: (cameraId) => runtimes.get(cameraId)?.handle.clockOffsetMs,
        })
      : undefined;

  const assertUsable = (): void => {
    if (phase === 'stopping' || phase === 'stopped') throw new WardwatchError('STATION_NOT_RUNNING', `The station is ${phase}`);
  };
  const validate = (input: unknown): CameraSpec => {
    const spec = parseCameraSpec(input);
    if (!registry.drivers.has(spec.driver)) {
      throw new WardwatchError('DRIVER_NOT_FOUND', `Camera "${spec.id}" names driver "${spec.driver}", which is not registered (registered: ${[...registry.drivers.keys()].join(', ') || 'none'})`, {
        details: { cameraId: spec.id, driver: spec.driver },
      });
    }
    return spec;
  };

  /** A stored camera not loaded yet (before `start()`), loaded now; undefined when there is none. */
  const loadStored = async (id: string): Promise<CameraRuntime | undefined> => {
    const stored = await storage.cameras.get(id);
    if (!stored || runtimes.has(id)) return runtimes.get(id);
    const runtime = createCameraRuntime(parseCameraSpec(stored), deps);
    runtimes.set(id, runtime);
    publishCameras();
    return runtime;
  };

  const station: Station = {
    cameras$: cameras$.asObservable(),
    camera: (id) => runtimes.get(id)?.handle,
    async addCamera(input) {
      assertUsable();
      const spec = validate(input);
      if (runtimes.has(spec.id) || (await storage.cameras.get(spec.id))) {
        throw new WardwatchError('ALREADY_EXISTS', `Camera "${spec.id}" already exists`, { details: { cameraId: spec.id } });
      }
      await storage.cameras.put(spec);
      const runtime = createCameraRuntime(spec, deps);
      runtimes.set(spec.id, runtime);
      publishCameras();
      emit({ type: 'camera.added', at: clock.now(), cameraId: spec.id });
      if (phase === 'running') runtime.connect();
      return runtime.handle;
    },
    async updateCamera(id, patch) {
      assertUsable();
      const runtime = runtimes.get(id) ?? (phase === 'created' ? await loadStored(id) : undefined);
      if (!runtime) throw new WardwatchError('NOT_FOUND', `Camera "${id}" does not exist`, { details: { cameraId: id } });
      if (patch.id !== undefined && patch.id !== id) {
        throw new WardwatchError('INVALID_ARGUMENT', `Camera id cannot change (from "${id}" to "${String(patch.id)}"); remove and add instead`);
      }
      const spec = validate({ ...runtime.spec, ...patch, id });
      await storage.cameras.put(spec);
      const wasConnected = phase === 'running';
      if (wasConnected) await runtime.disconnect('reconfigured');
      runtime.spec = spec;
      emit({ type: 'camera.updated', at: clock.now(), cameraId: id });
      if (wasConnected && phase === 'running') runtime.connect();
      return runtime.handle;
    },
    async removeCamera(id) {
      assertUsable();
      const runtime = runtimes.get(id);
      if (!runtime) throw new WardwatchError('NOT_FOUND', `Camera "${id}" does not exist`, { details: { cameraId: id } });
      runtimes.delete(id);
      publishCameras();
      await runtime.disconnect('removed');
      runtime.dispose();
      await storage.cameras.delete(id);
      emit({ type: 'camera.removed', at: clock.now(), cameraId: id });
    },
    events$: events$.asObservable(),
    emit,
    async start() {
      if (phase !== 'created') {
        throw new WardwatchError(phase === 'running' || phase === 'starting' ? 'INVALID_STATE' : 'STATION_NOT_RUNNING', `The station cannot start: it is ${phase}`);
      }
      phase = 'starting';
      try {
        if (recorder) await recorder.start(recorderContextOf(segments, clock, logger.child({ component: 'recorder' })));
        for (const stored of await storage.cameras.list()) {
          if (runtimes.has(stored.id)) continue;
          let spec: CameraSpec;
          try {
            spec = parseCameraSpec(stored);
          } catch (error) {
            logger.error({ err: error, cameraId: stored.id }, 'stored camera spec is invalid; skipped');
            continue;
          }
          runtimes.set(spec.id, createCameraRuntime(spec, deps));
        }
        publishCameras();
        phase = 'running';
        for (const runtime of runtimes.values()) runtime.connect();
        logger.info({ cameras: runtimes.size }, 'station started');
      } catch (error) {
        phase = 'created';
        throw toWardwatchError(error);
      }
    },
    async stop() {
      if (phase === 'stopped' || phase === 'stopping') return;
      phase = 'stopping';
      const errors: unknown[] = [];
      await Promise.all([...runtimes.values()].map((r) => r.disconnect('station stopped')));
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
        await persister.close();
        await storage.flush();
      } catch (error) {
        errors.push(error);
        logger.error({ err: error }, 'flushing storage on stop failed');
      }
      for (const runtime of runtimes.values()) runtime.dispose();
      phase = 'stopped';
      cameras$.complete();
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
      const transitions: CameraStatus[] = [];
      // The state at range.from comes from the last transition before it.
      const before = await storage.events.query({ cameraId, types: ['camera.status'], to: range.from, limit: 1, reverse: true });
      for (const e of before.items) if (e.type === 'camera.status') transitions.push(e.status);
      let after: string | undefined;
      for (;;) {
        const page = await storage.events.query({ cameraId, types: ['camera.status'], from: range.from, to: range.to, limit: 1000, ...(after ? { after } : {}) });
        for (const e of page.items) if (e.type === 'camera.status') transitions.push(e.status);
        if (!page.next || page.items.length === 0) break;
        after = page.next;
      }
      return computeUptime(transitions, range);
    },
    incidents,
    reports,
    evidence,
    audit,
    storage,
    recorder,
    drivers: registry.drivers,
    analyzers: registry.analyzers,
    eventTypes: registry.eventTypes,
    clock,
    logger,
  };
  return station;
}
