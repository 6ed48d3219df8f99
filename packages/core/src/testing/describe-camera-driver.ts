import type { CameraDriver, CameraSession } from '../contracts/camera-driver.js';
import { isWardwatchError } from '../errors/wardwatch-error.js';
import type { CameraSpec } from '../model/camera-spec.js';
import { loadVitest } from './load-vitest.js';
import { playsOneFrame } from './plays-one-frame.js';

/** What a driver's conformance run needs; the factory builds a fresh one for every check. */
export interface CameraDriverFixture {
  /** The driver under test. */
  driver: CameraDriver;
  /** A spec of a reachable camera (e.g. a simulator camera on 127.0.0.1). */
  spec: CameraSpec;
  /** A spec of a host nothing answers on (e.g. a closed 127.0.0.1 port); give it a password to check it is not leaked. */
  unreachableSpec: CameraSpec;
  /** Whether the camera at `spec` has PTZ. */
  supportsPtz: boolean;
  /** Makes the camera at `spec` stop answering (stop the simulator, drop its port), for the failing-probe check. */
  makeUnreachable(): Promise<void> | void;
  /** Releases everything the fixture started. */
  cleanup?(): Promise<void> | void;
  /** The reachable camera with a wrong password, for the optional `wrongPassword` check. */
  wrongPasswordSpec?: CameraSpec;
  /** An ffmpeg binary, for the optional `mainStreamPlays` check (it reads one frame of the main stream). */
  ffmpegPath?: string;
}

/** Builds a fresh {@link CameraDriverFixture}. */
export type CameraDriverFactory = () => Promise<CameraDriverFixture> | CameraDriverFixture;

/** One contract check of a camera driver. */
export interface CameraDriverCheck {
  /** What the check asserts, used as the test name. */
  name: string;
  /** Throws when the driver breaks the contract. */
  run(fixture: CameraDriverFixture): Promise<void>;
}

/** The outcome of one check in {@link runCameraDriverChecks}. */
export interface CameraDriverCheckResult {
  name: string;
  ok: boolean;
  /** The failure message, when not ok. */
  error?: string;
}

/** A broken contract found by a check (the other errors a check meets are the driver's own, named by their step). */
class ContractViolation extends Error {}

function fail(message: string): never {
  throw new ContractViolation(`camera driver contract: ${message}`);
}

function describeError(error: unknown): string {
  if (isWardwatchError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Runs one driver call; when the driver throws, the failure names the call (`snapshot()`, `connect(spec)`...). */
async function step<T>(what: string, call: () => Promise<T> | T): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ContractViolation) throw error;
    throw new ContractViolation(`camera driver contract: ${what} threw ${describeError(error)}`, { cause: error });
  }
}

async function withSession<T>(fixture: CameraDriverFixture, fn: (session: CameraSession) => Promise<T>): Promise<T> {
  const session = await step('connect(spec)', () => fixture.driver.connect(fixture.spec));
  try {
    return await fn(session);
  } finally {
    await step('close()', () => session.close());
  }
}

async function expectCodedRejection(promise: Promise<unknown>, what: string): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    if (!isWardwatchError(error)) fail(`${what} rejected with ${String(error)}, expected a WardwatchError`);
    return error;
  }
  return fail(`${what} resolved, expected a rejection`);
}

const PTZ_METHODS = ['continuousMove', 'absoluteMove', 'relativeMove', 'stop', 'position', 'presets', 'gotoPreset', 'setPreset', 'home'] as const;

/** The checks {@link describeCameraDriver} runs, usable directly (e.g. to show a broken driver fails). */
export const cameraDriverChecks: readonly CameraDriverCheck[] = [
  {
    name: 'has a non-empty string id',
    async run({ driver }) {
      if (typeof driver.id !== 'string' || driver.id.length === 0) fail(`id is ${JSON.stringify(driver.id)}`);
    },
  },
  {
    name: 'connect returns a session with a usable main stream URI',
    async run(fixture) {
      await withSession(fixture, async (session) => {
        const uri = session.streams?.main?.uri;
        if (typeof uri !== 'string') fail('streams.main.uri is missing');
        let parsed: URL;
        try {
          parsed = new URL(uri);
        } catch {
          return fail('streams.main.uri is not a URL');
        }
        if (!/^(rtsp|rtsps|rtmp|http|https):$/.test(parsed.protocol)) fail(`streams.main.uri has protocol ${parsed.protocol}, expected rtsp/rtsps/rtmp/http(s)`);
        if (!parsed.hostname) fail('streams.main.uri has no host');
      });
    },
  },
  {
    name: 'snapshot returns a JPEG (FF D8 ... )',
    async run(fixture) {
      await withSession(fixture, async (session) => {
        const bytes = await step('snapshot()', () => session.snapshot());
        if (!(bytes instanceof Uint8Array)) fail('snapshot() did not return a Uint8Array');
        if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) fail(`snapshot() is not a JPEG (starts ${[...bytes.slice(0, 2)].map((b) => b.toString(16)).join(' ')})`);
      });
    },
  },
  {
    name: 'probe is ok on a reachable camera',
    async run(fixture) {
      await withSession(fixture, async (session) => {
        const result = await step('probe()', () => session.probe());
        if (result.ok !== true) fail(`probe() was not ok: ${result.cause ?? 'no cause'}`);
        if (typeof result.latencyMs !== 'number' || !(result.latencyMs >= 0)) fail('probe() latencyMs is not a non-negative number');
      });
    },
  },
  {
    name: 'probe is not ok (or rejects with a coded error) once the camera is unreachable',
    async run(fixture) {
      await withSession(fixture, async (session) => {
        await step('fixture.makeUnreachable()', () => fixture.makeUnreachable());
        let result;
        try {
          result = await session.probe();
        } catch (error) {
          if (!isWardwatchError(error)) fail(`probe() rejected with ${String(error)}, expected a WardwatchError or { ok: false }`);
          return;
        }
        if (result.ok !== false) fail('probe() was ok on an unreachable camera');
      });
    },
  },
  {
    name: 'events$ completes after close',
    async run(fixture) {
      const session = await step('connect(spec)', () => fixture.driver.connect(fixture.spec));
      let completed = false;
      const sub = await step('events$.subscribe()', () => session.events$.subscribe({ complete: () => (completed = true), error: () => (completed = true) }));
      await step('close()', () => session.close());
      // allow drivers that complete on the next tick
      for (let i = 0; i < 50 && !completed; i++) await new Promise((r) => setTimeout(r, 10));
      sub.unsubscribe();
      if (!completed) fail('events$ did not complete within 500 ms of close()');
    },
  },
  {
    name: 'close is idempotent',
    async run(fixture) {
      const session = await step('connect(spec)', () => fixture.driver.connect(fixture.spec));
      await step('close()', () => session.close());
      await step('a second close()', () => session.close());
      await step('two concurrent close()', () => Promise.all([session.close(), session.close()]));
    },
  },
  {
    name: 'ptz is present only when supported',
    async run(fixture) {
      await withSession(fixture, async (session) => {
        if (fixture.supportsPtz) {
          if (!session.ptz) fail('the camera supports PTZ but session.ptz is missing');
          for (const m of PTZ_METHODS) if (typeof session.ptz[m] !== 'function') fail(`session.ptz.${m} is not a function`);
        } else if (session.ptz !== undefined) {
          fail('the camera has no PTZ but session.ptz is present');
        }
      });
    },
  },
  {
    name: 'connect to an unreachable host rejects with a coded retryable error without leaking the password',
    async run(fixture) {
      const error = (await expectCodedRejection(fixture.driver.connect(fixture.unreachableSpec), 'connect(unreachableSpec)')) as {
        code: string;
        retryable: boolean;
        message: string;
        details: unknown;
      };
      if (error.code !== 'CAMERA_UNREACHABLE' && error.code !== 'CAMERA_TIMEOUT') fail(`code is ${error.code}, expected CAMERA_UNREACHABLE or CAMERA_TIMEOUT`);
      if (error.retryable !== true) fail(`${error.code} is not retryable`);
      if (leaks(error, fixture.unreachableSpec.connection.password)) fail('the error message or details contain the password');
    },
  },
];

function leaks(error: { message: string; details?: unknown }, password: string | undefined): boolean {
  return !!password && password.length >= 4 && (error.message.includes(password) || JSON.stringify(error.details ?? {}).includes(password));
}

/**
 * Checks a driver may opt into (add them to the `checks` of {@link describeCameraDriver} or
 * {@link runCameraDriverChecks}); each needs what it names in the fixture and fails without it.
 */
export const optionalCameraDriverChecks = {
  /** A wrong password (`fixture.wrongPasswordSpec`) is `CAMERA_AUTH_FAILED`, not retryable, without the password. */
  wrongPassword: {
    name: 'connect with a wrong password rejects with CAMERA_AUTH_FAILED, not retryable, without leaking it',
    async run(fixture) {
      const spec = fixture.wrongPasswordSpec;
      if (!spec) return fail('the fixture has no wrongPasswordSpec');
      const error = (await expectCodedRejection(fixture.driver.connect(spec), 'connect(wrongPasswordSpec)')) as { code: string; retryable: boolean; message: string; details?: unknown };
      if (error.code !== 'CAMERA_AUTH_FAILED') fail(`code is ${error.code}, expected CAMERA_AUTH_FAILED`);
      if (error.retryable !== false) fail('CAMERA_AUTH_FAILED is retryable: the station would retry a wrong password forever');
      if (leaks(error, spec.connection.password)) fail('the error message or details contain the password');
    },
  },
  /** `connect` with an already aborted signal rejects with `CANCELLED` and opens no session. */
  cancelled: {
    name: 'connect with an aborted signal rejects with CANCELLED',
    async run(fixture) {
      const controller = new AbortController();
      controller.abort();
      const error = (await expectCodedRejection(fixture.driver.connect(fixture.spec, { signal: controller.signal }), 'connect(spec, { signal: aborted })')) as { code: string };
      if (error.code !== 'CANCELLED') fail(`code is ${error.code}, expected CANCELLED`);
    },
  },
  /** ffmpeg (`fixture.ffmpegPath`) reads one video frame from `streams.main.uri`. */
  mainStreamPlays: {
    name: 'the main stream URI plays (ffmpeg reads one frame)',
    async run(fixture) {
      const ffmpegPath = fixture.ffmpegPath;
      if (!ffmpegPath) return fail('the fixture has no ffmpegPath');
      await withSession(fixture, async (session) => {
        const problem = await playsOneFrame(ffmpegPath, session.streams.main.uri, fixture.spec.connection.password);
        if (problem) fail(`ffmpeg could not read a frame of streams.main.uri: ${problem}`);
      });
    },
  },
} as const satisfies Record<string, CameraDriverCheck>;

/** Runs every check against fresh fixtures and reports each outcome (never throws for a failed check). */
export async function runCameraDriverChecks(factory: CameraDriverFactory, checks: readonly CameraDriverCheck[] = cameraDriverChecks): Promise<CameraDriverCheckResult[]> {
  const results: CameraDriverCheckResult[] = [];
  for (const check of checks) {
    const fixture = await factory();
    try {
      await check.run(fixture);
      results.push({ name: check.name, ok: true });
    } catch (error) {
      results.push({ name: check.name, ok: false, error: error instanceof Error ? error.message : String(error) });
    } finally {
      await fixture.cleanup?.();
    }
  }
  return results;
}

/** Options of {@link describeCameraDriver}. */
export interface DescribeCameraDriverOptions {
  /** Per-check timeout, ms. @default 30000 */
  timeoutMs?: number;
  /** The checks to declare, e.g. `[...cameraDriverChecks, optionalCameraDriverChecks.wrongPassword]`. @default cameraDriverChecks */
  checks?: readonly CameraDriverCheck[];
}

/**
 * Declares a vitest suite that checks a {@link CameraDriver} against the contract: id, connect and
 * main stream URI, JPEG snapshot, probe ok/not ok, events$ completion, idempotent close, PTZ presence
 * and coded retryable errors for unreachable hosts (plus the {@link optionalCameraDriverChecks} given in `checks`).
 * Each check gets a fresh fixture from `factory`; a failure says which driver call threw.
 * Needs vitest (loaded on this call); {@link runCameraDriverChecks} runs the same checks without it.
 */
export function describeCameraDriver(name: string, factory: CameraDriverFactory, options: DescribeCameraDriverOptions = {}): void {
  const { describe, it } = loadVitest('describeCameraDriver');
  describe(`CameraDriver contract: ${name}`, () => {
    for (const check of options.checks ?? cameraDriverChecks) {
      it(
        check.name,
        async () => {
          const fixture = await factory();
          try {
            await check.run(fixture);
          } finally {
            await fixture.cleanup?.();
          }
        },
        options.timeoutMs ?? 30_000,
      );
    }
  });
}
