import { BehaviorSubject, type Observable } from 'rxjs';
import type { Clock } from '../contracts/clock.js';
import type { Logger } from '../contracts/logger.js';
import type { StorageAdapter } from '../contracts/storage-adapter.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import { parseCameraSpec, type CameraSpec, type CameraSpecInput } from '../model/camera-spec.js';
import type { StationEvent } from '../model/station-event.js';
import { openCameraSecrets, sealCameraSecrets } from '../security/camera-secrets.js';
import type { SecretBox } from '../security/secret-box.js';
import type { Camera } from './camera.js';
import { createCameraRuntime, type CameraRuntime, type CameraRuntimeDeps } from './camera-runtime.js';

/** The cameras of a station: the only writer of `storage.cameras` (internal). */
export interface StationCameras {
  readonly cameras$: Observable<readonly Camera[]>;
  get(id: string): CameraRuntime | undefined;
  add(input: CameraSpecInput | CameraSpec): Promise<Camera>;
  update(id: string, patch: Partial<CameraSpecInput>): Promise<Camera>;
  remove(id: string): Promise<void>;
  /**
   * Loads every stored camera not loaded yet (at start); invalid stored specs are logged and skipped, a stored secret
   * that does not decrypt throws `SECRET_UNREADABLE`. Legacy plain-text secrets are stored sealed again.
   */
  loadStored(): Promise<void>;
  all(): CameraRuntime[];
  /** Completes `cameras$` and every handle. */
  dispose(): void;
}

/**
 * Creates the camera registry of a station: specs validated (driver registered), persisted and announced. With a
 * `secrets` box, credential fields are sealed before every `storage.cameras.put` and opened on load, so storage only
 * ever holds ciphertext.
 */
export function createStationCameras(options: {
  storage: StorageAdapter;
  /** Seals camera credentials at rest; without it they are stored as given. */
  secrets?: SecretBox | undefined;
  deps: CameraRuntimeDeps;
  drivers: ReadonlyMap<string, unknown>;
  clock: Clock;
  logger: Logger;
  emit: (event: StationEvent) => void;
  /** Whether cameras connect as they are added (the station is running). */
  running: () => boolean;
  /** Whether the station has not started yet (stored cameras may still be unloaded). */
  beforeStart: () => boolean;
}): StationCameras {
  const { storage, deps, clock, logger, emit } = options;
  const runtimes = new Map<string, CameraRuntime>();
  const cameras$ = new BehaviorSubject<readonly Camera[]>([]);
  const publish = (): void => cameras$.next([...runtimes.values()].map((r) => r.handle));
  const load = (spec: CameraSpec): CameraRuntime => {
    const runtime = createCameraRuntime(spec, deps);
    runtimes.set(spec.id, runtime);
    return runtime;
  };
  const validate = (input: unknown): CameraSpec => {
    const spec = parseCameraSpec(input);
    if (!options.drivers.has(spec.driver)) {
      throw new WardwatchError('DRIVER_NOT_FOUND', `Camera "${spec.id}" names driver "${spec.driver}", which is not registered (registered: ${[...options.drivers.keys()].join(', ') || 'none'})`, {
        details: { cameraId: spec.id, driver: spec.driver },
      });
    }
    return spec;
  };
  const notFound = (id: string): WardwatchError => new WardwatchError('NOT_FOUND', `Camera "${id}" does not exist`, { details: { cameraId: id } });
  const store = async (spec: CameraSpec): Promise<void> => storage.cameras.put(await sealCameraSecrets(spec, options.secrets));
  /** A stored spec, validated, with its secrets opened; a legacy plain-text secret is written back sealed. */
  const openStored = async (stored: CameraSpec): Promise<CameraSpec> => {
    const opened = await openCameraSecrets(stored, options.secrets);
    const spec = parseCameraSpec(opened.spec);
    if (opened.legacy) {
      try {
        await store(spec);
        logger.info({ cameraId: spec.id }, 'stored camera password was plain text; stored encrypted now');
      } catch (error) {
        logger.warn({ err: error, cameraId: spec.id }, 'stored camera password is plain text and could not be stored encrypted yet; retried on the next write');
      }
    }
    return spec;
  };
  /**
   * A stored camera not loaded yet (before start), loaded now. A `connection` given by the caller replaces the stored
   * one before its secrets are opened: re-entering a camera's connection recovers from a lost secret key.
   */
  const loadOne = async (id: string, connection?: unknown): Promise<CameraRuntime | undefined> => {
    const stored = await storage.cameras.get(id);
    if (!stored || runtimes.has(id)) return runtimes.get(id);
    const spec = await openStored(connection === undefined ? stored : ({ ...stored, connection } as CameraSpec));
    if (runtimes.has(id)) return runtimes.get(id);
    const runtime = load(spec);
    publish();
    return runtime;
  };

  return {
    cameras$: cameras$.asObservable(),
    get: (id) => runtimes.get(id),
    async add(input) {
      const spec = validate(input);
      if (runtimes.has(spec.id) || (await storage.cameras.get(spec.id))) {
        throw new WardwatchError('ALREADY_EXISTS', `Camera "${spec.id}" already exists`, { details: { cameraId: spec.id } });
      }
      await store(spec);
      const runtime = load(spec);
      publish();
      emit({ type: 'camera.added', at: clock.now(), cameraId: spec.id });
      if (options.running()) runtime.connect();
      return runtime.handle;
    },
    async update(id, patch) {
      const runtime = runtimes.get(id) ?? (options.beforeStart() ? await loadOne(id, patch.connection) : undefined);
      if (!runtime) throw notFound(id);
      if (patch.id !== undefined && patch.id !== id) {
        throw new WardwatchError('INVALID_ARGUMENT', `Camera id cannot change (from "${id}" to "${String(patch.id)}"); remove and add instead`);
      }
      const spec = validate({ ...runtime.spec, ...patch, id });
      await store(spec);
      const wasConnected = options.running();
      if (wasConnected) await runtime.disconnect('reconfigured');
      runtime.spec = spec;
      emit({ type: 'camera.updated', at: clock.now(), cameraId: id });
      if (wasConnected && options.running()) runtime.connect();
      return runtime.handle;
    },
    async remove(id) {
      const runtime = runtimes.get(id);
      if (!runtime && options.beforeStart() && (await storage.cameras.get(id))) {
        // stored but not loaded yet (its secret may be unreadable): removed without opening it
        await storage.cameras.delete(id);
        emit({ type: 'camera.removed', at: clock.now(), cameraId: id });
        return;
      }
      if (!runtime) throw notFound(id);
      runtimes.delete(id);
      publish();
      await runtime.disconnect('removed');
      runtime.dispose();
      await storage.cameras.delete(id);
      emit({ type: 'camera.removed', at: clock.now(), cameraId: id });
    },
    async loadStored() {
      for (const stored of await storage.cameras.list()) {
        if (runtimes.has(stored.id)) continue;
        let spec: CameraSpec;
        try {
          spec = await openStored(stored);
        } catch (error) {
          if (error instanceof WardwatchError && error.code === 'SECRET_UNREADABLE') throw error;
          logger.error({ err: error, cameraId: stored.id }, 'stored camera spec is invalid; skipped');
          continue;
        }
        if (!runtimes.has(spec.id)) load(spec);
      }
      publish();
    },
    all: () => [...runtimes.values()],
    dispose() {
      for (const runtime of runtimes.values()) runtime.dispose();
      cameras$.complete();
    },
  };
}
