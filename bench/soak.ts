/**
 * `pnpm soak [--cameras N] [--minutes M] [--seed S] [--segment-seconds S] [--fault-every-s S] [--warmup-minutes W]
 * [--flap-cycles C] [--out file.json]`
 *
 * A station as an integrator assembles it — `createStation` with the ONVIF driver, the recorder and LevelDB in a
 * temporary directory — recording N simulator cameras (in a process of their own) while faults are injected on a
 * seeded schedule: stall, drop, reboot, credentials changed and restored, malformed replies (SDP, SOAP), picture
 * faults. Prints one line a minute and, at the end, one line of JSON: RSS and heap slope (MB per 10 minutes after
 * the warm-up), descriptors, the recorder's ffmpeg children, event-loop lag p99, gaps by cause, segments against
 * expected, every fault and when its camera recovered, and the processes left after stop.
 *
 * `--flap-cycles C` replaces the random faults with C drop/reconnect cycles spread over the cameras (issue 26
 * item 3: 1,000 × 16 at full size); the summary then also compares descriptors, ffmpeg count and RSS with their
 * values before the first cycle.
 *
 * ffmpeg processes are counted among this process's own descendants (`/proc/<pid>/task/<tid>/children`), never
 * by name across the host; the simulator's process and its encoders are left out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createStation, type CameraState, type StationEvent } from '@wardwatch/core';
import type { Subscription } from 'rxjs';
import { createOnvifDriver } from '@wardwatch/onvif-driver';
import { createRecorder } from '@wardwatch/recorder';
import { createLevelStorage } from '@wardwatch/storage-level';
import { descendantsOf, openFdCount, stillRunning } from './soak-process-tree.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const simulatorScript = fileURLToPath(new URL('./soak-simulator.ts', import.meta.url));

const { values: args } = parseArgs({
  options: {
    cameras: { type: 'string', default: '8' },
    minutes: { type: 'string', default: '10' },
    seed: { type: 'string', default: '26' },
    'segment-seconds': { type: 'string', default: '10' },
    'fault-every-s': { type: 'string' },
    'warmup-minutes': { type: 'string' },
    'recovery-timeout-s': { type: 'string', default: '90' },
    'flap-cycles': { type: 'string' },
    out: { type: 'string' },
  },
});

const CAMERAS = positive('cameras');
const MINUTES = positive('minutes');
const SEED = Number(args.seed);
const SEGMENT_S = positive('segment-seconds');
const RUN_MS = MINUTES * 60_000;
const WARMUP_MS = (args['warmup-minutes'] !== undefined ? Number(args['warmup-minutes']) : Math.max(1, Math.min(5, MINUTES / 4))) * 60_000;
const RECOVERY_TIMEOUT_MS = positive('recovery-timeout-s') * 1000;
/** Mean time between faults across the station: by default every camera sees one about every 2 minutes. */
const FAULT_EVERY_MS = (args['fault-every-s'] !== undefined ? Number(args['fault-every-s']) : Math.max(5, 120 / CAMERAS)) * 1000;
const FLAP_CYCLES = args['flap-cycles'] !== undefined ? positive('flap-cycles') : undefined;
/** Faults stop this long before the end, so each has time to recover (a hold of up to 20 s, a retry, a segment). */
const QUIET_TAIL_MS = Math.min(80_000, RUN_MS / 2.25);
const SAMPLE_MS = 10_000;

function positive(name: 'cameras' | 'minutes' | 'segment-seconds' | 'recovery-timeout-s' | 'flap-cycles'): number {
  const value = Number(args[name]);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`--${name} must be a positive number, got ${String(args[name])}\n`);
    process.exit(2);
  }
  return value;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so a seed replays the same fault schedule. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = rng(SEED);
const between = (lo: number, hi: number): number => Math.round(lo + random() * (hi - lo));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

type FaultKind = 'stall' | 'drop' | 'reboot' | 'credentials' | 'malformed-sdp' | 'malformed-soap' | 'picture';
const FAULT_KINDS: readonly FaultKind[] = ['stall', 'drop', 'reboot', 'credentials', 'malformed-sdp', 'malformed-soap', 'picture'];

interface Fault {
  n: number;
  kind: FaultKind;
  camera: string;
  /** Station ms since the soak started. */
  at: number;
  /** When the camera was put right again (the fault's end). */
  restoredAt?: number;
  /** When the camera was online again with a segment that ended after the restore. */
  recoveredAt?: number;
  /** The non-online states the camera went through. */
  states: CameraState[];
  detail?: string;
}

interface Sample {
  t: number;
  rssMb: number;
  heapMb: number;
  fds: number;
  ffmpeg: number;
}

// ---- the simulator, in its own process -------------------------------------------------------------

interface SimCameraInfo {
  id: string;
  host: string;
  onvifPort: number;
  username: string;
  password: string;
}

interface SimulatorProcess {
  child: ChildProcess;
  cameras: SimCameraInfo[];
  command(camera: string, op: string, extra?: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

async function startSimulatorProcess(count: number): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', simulatorScript, String(count)], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] });
  const replies = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let seq = 0;
  const lines = createInterface({ input: child.stdout! });
  const cameras = await new Promise<SimCameraInfo[]>((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`the simulator process exited (${String(code)}) before its cameras were up`));
    child.once('exit', onExit);
    lines.on('line', (line) => {
      let message: { cameras?: SimCameraInfo[]; seq?: number; ok?: boolean; error?: string };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        process.stderr.write(`soak: simulator said: ${line}\n`);
        return;
      }
      if (message.cameras) {
        child.off('exit', onExit);
        resolve(message.cameras);
        return;
      }
      const waiter = replies.get(message.seq ?? -1);
      if (!waiter) {
        process.stderr.write(`soak: unexpected simulator reply ${line}\n`);
        return;
      }
      replies.delete(message.seq as number);
      if (message.ok) waiter.resolve();
      else waiter.reject(new Error(message.error ?? 'simulator command failed'));
    });
  });
  // A simulator that dies fails every command still waiting, and every later one.
  let exited: Error | undefined;
  child.once('exit', (code, signal) => {
    exited = new Error(`the simulator process exited (${String(code ?? signal)})`);
    for (const waiter of replies.values()) waiter.reject(exited);
    replies.clear();
  });
  return {
    child,
    cameras,
    command(camera, op, extra = {}) {
      const n = ++seq;
      return new Promise<void>((resolve, reject) => {
        if (exited) return reject(exited);
        replies.set(n, { resolve, reject });
        child.stdin!.write(`${JSON.stringify({ seq: n, camera, op, ...extra })}\n`);
      });
    },
    stop() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.stdin!.end();
      });
    },
  };
}

// ---- statistics ----------------------------------------------------------------------------------

/** Least-squares slope of `y` over `x`. */
function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  if (points.length < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] as number;
}

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
const gc = (globalThis as { gc?: () => void }).gc;

// ---- the run -------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'wardwatch-soak-'));
  const sim = await startSimulatorProcess(CAMERAS);
  const exclude = new Set([sim.child.pid as number]);
  const recorderFfmpeg = (): number[] => descendantsOf(process.pid, exclude).filter((p) => p.comm === 'ffmpeg').map((p) => p.pid);
  const ffmpegSeen = new Set<number>();
  // What ran below us before the station existed (tsx's esbuild service): not the station's to stop.
  const before = new Set(descendantsOf(process.pid, exclude).map((p) => p.pid));

  const storage = await createLevelStorage({ path: join(work, 'db') });
  const recorder = createRecorder({ root: join(work, 'recordings'), segmentSeconds: SEGMENT_S });
  const station = createStation({
    storage,
    drivers: [createOnvifDriver()],
    recorder,
    // A camera whose credentials were wrong is retried after 15 s, not the default 5 minutes, so a restored
    // password is seen within the soak's recovery window.
    health: { retryNonRetryableMs: 15_000, retryMaxMs: 15_000 },
  });

  const began = Date.now();
  const now = (): number => Date.now() - began;
  const state = new Map<string, CameraState>();
  const segmentsBy = new Map<string, number>();
  const gapsByCause: Record<string, number> = {};
  let segmentsClosed = 0;
  let recordingErrors = 0;
  const faults: Fault[] = [];
  const active = new Map<string, Fault>();
  const lastSegmentEnd = new Map<string, number>();

  const checkRecovered = (camera: string): void => {
    const fault = active.get(camera);
    if (!fault || fault.restoredAt === undefined) return;
    const restoredWall = began + fault.restoredAt;
    if (state.get(camera) === 'online' && (lastSegmentEnd.get(camera) ?? 0) > restoredWall + 1000) {
      fault.recoveredAt = now();
      active.delete(camera);
    }
  };

  const subscription = station.events$.subscribe((event: StationEvent) => {
    if (event.type === 'segment.closed') {
      segmentsClosed++;
      segmentsBy.set(event.cameraId, (segmentsBy.get(event.cameraId) ?? 0) + 1);
      lastSegmentEnd.set(event.cameraId, Math.max(lastSegmentEnd.get(event.cameraId) ?? 0, event.segment.end));
      checkRecovered(event.cameraId);
    } else if (event.type === 'recording.gap') {
      gapsByCause[event.cause] = (gapsByCause[event.cause] ?? 0) + 1;
    } else if (event.type === 'recording.error') {
      recordingErrors++;
    } else if (event.type === 'camera.status') {
      state.set(event.cameraId, event.status.state);
      const fault = active.get(event.cameraId);
      if (fault && event.status.state !== 'online' && !fault.states.includes(event.status.state)) fault.states.push(event.status.state);
      checkRecovered(event.cameraId);
    }
  });

  await station.start();
  for (const [i, cam] of sim.cameras.entries()) {
    await station.addCamera({
      id: cam.id,
      name: `Soak camera ${i}`,
      site: { ward: 'Soak ward', station: 'Soak station' },
      location: { lat: 21.03 + i * 0.001, lon: 105.85 + i * 0.001 },
      ownership: 'station',
      driver: 'onvif',
      connection: { host: cam.host, port: cam.onvifPort, username: cam.username, password: cam.password },
    });
  }

  // Event-loop lag: one histogram per minute line, one for the whole run.
  const minuteLag = monitorEventLoopDelay({ resolution: 20 });
  const runLag = monitorEventLoopDelay({ resolution: 20 });
  minuteLag.enable();
  runLag.enable();
  const minuteLagP99: number[] = [];

  const samples: Sample[] = [];
  const sample = (): Sample => {
    gc?.();
    const memory = process.memoryUsage();
    const ffmpeg = recorderFfmpeg();
    for (const pid of ffmpeg) ffmpegSeen.add(pid);
    const s = { t: now(), rssMb: memory.rss / 2 ** 20, heapMb: memory.heapUsed / 2 ** 20, fds: openFdCount(), ffmpeg: ffmpeg.length };
    samples.push(s);
    return s;
  };

  /** A sample taken once every camera has its ffmpeg running again (or after 30 s), after 5 s of calm. */
  const settledSample = async (): Promise<Sample> => {
    await new Promise((r) => setTimeout(r, 5_000));
    const until = Date.now() + 30_000;
    while (recorderFfmpeg().length !== CAMERAS && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    return sample();
  };

  // ---- faults ----
  const restore = async (fault: Fault): Promise<void> => {
    switch (fault.kind) {
      case 'stall':
        await sim.command(fault.camera, 'resume');
        break;
      case 'credentials': {
        const cam = sim.cameras.find((c) => c.id === fault.camera) as SimCameraInfo;
        await sim.command(fault.camera, 'credentials', { username: cam.username, password: cam.password });
        break;
      }
      case 'malformed-sdp':
      case 'malformed-soap':
        await sim.command(fault.camera, 'malformed', { kind: null });
        break;
      case 'picture':
        await sim.command(fault.camera, 'picture', { fault: 'normal' });
        break;
      case 'drop':
      case 'reboot':
        break;
    }
    fault.restoredAt = now();
    checkRecovered(fault.camera);
  };

  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => Promise<void>): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn().catch((error: unknown) => process.stderr.write(`soak: ${String(error)}\n`));
    }, ms);
    timers.add(timer);
  };

  const inject = async (kind: FaultKind, camera: string): Promise<void> => {
    const fault: Fault = { n: faults.length + 1, kind, camera, at: now(), states: [] };
    faults.push(fault);
    active.set(camera, fault);
    const hold = between(8_000, 20_000);
    switch (kind) {
      case 'stall':
        await sim.command(camera, 'stall');
        fault.detail = `${hold} ms`;
        later(hold, () => restore(fault));
        return;
      case 'drop':
        await sim.command(camera, 'drop');
        return restore(fault);
      case 'reboot': {
        const down = between(5_000, 12_000);
        await sim.command(camera, 'reboot', { ms: down });
        fault.detail = `${down} ms down`;
        later(down, () => restore(fault));
        return;
      }
      case 'credentials':
        // The camera stops accepting the station's password; the drop makes every client log in again.
        await sim.command(camera, 'credentials', { username: 'admin', password: `changed-${fault.n}` });
        await sim.command(camera, 'drop');
        fault.detail = `${hold} ms`;
        later(hold, () => restore(fault));
        return;
      case 'malformed-sdp':
        await sim.command(camera, 'malformed', { kind: 'sdp' });
        await sim.command(camera, 'drop');
        fault.detail = `${hold} ms`;
        later(hold, () => restore(fault));
        return;
      case 'malformed-soap':
        await sim.command(camera, 'malformed', { kind: pick(['soap', 'oversized-soap']) });
        fault.detail = `${hold} ms`;
        later(hold, () => restore(fault));
        return;
      case 'picture': {
        const picture = pick(['black', 'covered', 'blurred', 'night']);
        await sim.command(camera, 'picture', { fault: picture });
        fault.detail = `${picture} ${hold} ms`;
        later(hold, () => restore(fault));
        return;
      }
    }
  };

  /** Fault kinds in seeded shuffled rounds: every kind comes once before any comes again. */
  let bag: FaultKind[] = [];
  const nextKind = (): FaultKind => {
    if (bag.length === 0) {
      bag = [...FAULT_KINDS];
      for (let i = bag.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [bag[i], bag[j]] = [bag[j] as FaultKind, bag[i] as FaultKind];
      }
    }
    return bag.pop() as FaultKind;
  };

  const idleCameras = (): string[] => sim.cameras.map((c) => c.id).filter((id) => !active.has(id));

  // ---- flapping: drop/reconnect cycles, each waiting for media to flow again ----
  let flap: { cycles: number; reconnectMs: number[]; failed: number; before?: Sample; after?: Sample } | undefined;
  /** Resolves with how long media took to flow again after `droppedAt` (stats from a newer process), or undefined. */
  const waitForMedia = (camera: string, droppedAt: number, timeoutMs: number): Promise<number | undefined> =>
    new Promise((resolve) => {
      let done = false;
      let subscription: Subscription | undefined;
      const finish = (value: number | undefined): void => {
        if (done) return;
        done = true;
        clearTimeout(timeout);
        subscription?.unsubscribe();
        resolve(value);
      };
      const timeout = setTimeout(() => finish(undefined), timeoutMs);
      // lastFrameAt is when a progress report was read: 1.5 s covers reports the dropped process made before it died.
      subscription = station.camera(camera)?.stats$.subscribe((stats) => {
        if ((stats.lastFrameAt ?? 0) > droppedAt + 1500) finish(Date.now() - droppedAt);
      });
      if (done) subscription?.unsubscribe();
    });

  const flapCamera = async (camera: string, cycles: number, deadline: number): Promise<void> => {
    const record = flap as NonNullable<typeof flap>;
    for (let i = 0; i < cycles && Date.now() < deadline; i++) {
      const droppedAt = Date.now();
      await sim.command(camera, 'drop');
      const back = await waitForMedia(camera, droppedAt, 30_000);
      if (back === undefined) record.failed++;
      else record.reconnectMs.push(back);
      record.cycles++;
      await new Promise((r) => setTimeout(r, between(200, 1000)));
    }
  };

  // ---- main loop ----
  let nextFaultAt = FLAP_CYCLES === undefined ? between(FAULT_EVERY_MS / 2, FAULT_EVERY_MS * 1.5) + 20_000 : Infinity;
  let nextSampleAt = 0;
  let nextLineAt = 60_000;
  let flapping: Promise<void> | undefined;
  const startSample = sample();
  process.stdout.write(
    `soak: ${CAMERAS} cameras, ${MINUTES} min, seed ${SEED}, ${SEGMENT_S} s segments, ${FLAP_CYCLES === undefined ? `a fault every ~${Math.round(FAULT_EVERY_MS / 1000)} s` : `${FLAP_CYCLES} drop/reconnect cycles`}, data in ${work}\n`,
  );
  while (now() < RUN_MS) {
    await new Promise((r) => setTimeout(r, 250));
    const t = now();
    if (FLAP_CYCLES !== undefined && flapping === undefined && t >= 30_000) {
      // Settle 30 s first, then flap every camera in parallel until the cycles are done or the run nears its end.
      flap = { cycles: 0, reconnectMs: [], failed: 0, before: await settledSample() };
      const deadline = began + RUN_MS - 20_000;
      const share = (i: number): number => Math.floor(FLAP_CYCLES / CAMERAS) + (i < FLAP_CYCLES % CAMERAS ? 1 : 0);
      flapping = Promise.all(sim.cameras.map((c, i) => flapCamera(c.id, share(i), deadline))).then(() => undefined);
    }
    if (t >= nextFaultAt && t < RUN_MS - QUIET_TAIL_MS) {
      const idle = idleCameras();
      if (idle.length > 0) await inject(nextKind(), pick(idle));
      nextFaultAt = t + between(FAULT_EVERY_MS / 2, FAULT_EVERY_MS * 1.5);
    }
    for (const fault of active.values()) {
      if (fault.restoredAt !== undefined && now() - fault.restoredAt > RECOVERY_TIMEOUT_MS) active.delete(fault.camera);
    }
    if (t >= nextSampleAt) {
      sample();
      nextSampleAt = t + SAMPLE_MS;
    }
    if (t >= nextLineAt) {
      const s = samples.at(-1) as Sample;
      const p99 = minuteLag.percentile(99) / 1e6;
      minuteLagP99.push(p99);
      minuteLag.reset();
      const states = [...state.values()].reduce<Record<string, number>>((acc, st) => ({ ...acc, [st]: (acc[st] ?? 0) + 1 }), {});
      const recovered = faults.filter((f) => f.recoveredAt !== undefined).length;
      process.stdout.write(
        `[${String(Math.round(t / 60_000)).padStart(3)} min] rss ${s.rssMb.toFixed(1)} MB heap ${s.heapMb.toFixed(1)} MB fds ${s.fds} ffmpeg ${s.ffmpeg}/${CAMERAS} lag p99 ${p99.toFixed(1)} ms segments ${segmentsClosed} gaps ${Object.values(gapsByCause).reduce((a, b) => a + b, 0)} faults ${faults.length} (recovered ${recovered}, open ${active.size})${flap ? ` flaps ${flap.cycles}` : ''} cameras ${JSON.stringify(states)}\n`,
      );
      nextLineAt += 60_000;
    }
  }
  if (flapping) await flapping;
  if (flap) flap.after = await settledSample();
  const endSample = sample();
  const runLagP99 = runLag.percentile(99) / 1e6;
  const runLagMax = runLag.max / 1e6;
  minuteLag.disable();
  runLag.disable();

  // ---- stop, then look for what was left behind ----
  for (const timer of timers) clearTimeout(timer);
  subscription.unsubscribe();
  await station.stop();
  await recorder.stop();
  await storage.close();
  const leftAfterStop = descendantsOf(process.pid, exclude).filter((p) => !before.has(p.pid));
  const ffmpegAfterStop = leftAfterStop.filter((p) => p.comm === 'ffmpeg').length;
  await sim.stop();
  const leftAfterSimulator = descendantsOf(process.pid).filter((p) => !before.has(p.pid));
  const orphanFfmpeg = [...ffmpegSeen].filter((pid) => stillRunning(pid, 'ffmpeg'));
  await rm(work, { recursive: true, force: true });

  // ---- summary ----
  const steady = samples.filter((s) => s.t >= WARMUP_MS);
  const warm = steady[0] ?? endSample;
  const perTenMinutes = (key: 'rssMb' | 'heapMb'): number => round(slope(steady.map((s) => ({ x: s.t / 600_000, y: s[key] }))), 3);
  const recoveries = faults.filter((f) => f.recoveredAt !== undefined && f.restoredAt !== undefined).map((f) => (f.recoveredAt as number) - (f.restoredAt as number));
  const byKind: Record<string, { injected: number; recovered: number }> = {};
  for (const f of faults) {
    byKind[f.kind] ??= { injected: 0, recovered: 0 };
    byKind[f.kind]!.injected++;
    if (f.recoveredAt !== undefined) byKind[f.kind]!.recovered++;
  }
  const expected = CAMERAS * Math.floor(RUN_MS / (SEGMENT_S * 1000));
  const summary = {
    cameras: CAMERAS,
    minutes: MINUTES,
    seed: SEED,
    segmentSeconds: SEGMENT_S,
    warmupMinutes: round(WARMUP_MS / 60_000),
    samples: samples.length,
    rss: { startMb: round(startSample.rssMb), afterWarmupMb: round(warm.rssMb), endMb: round(endSample.rssMb), maxMb: round(Math.max(...samples.map((s) => s.rssMb))), slopeMbPer10Min: perTenMinutes('rssMb') },
    heap: { startMb: round(startSample.heapMb), afterWarmupMb: round(warm.heapMb), endMb: round(endSample.heapMb), maxMb: round(Math.max(...samples.map((s) => s.heapMb))), slopeMbPer10Min: perTenMinutes('heapMb'), gcBeforeSample: gc !== undefined },
    fds: { start: startSample.fds, afterWarmup: warm.fds, end: endSample.fds, max: Math.max(...samples.map((s) => s.fds)) },
    ffmpeg: { expected: CAMERAS, end: endSample.ffmpeg, min: Math.min(...steady.map((s) => s.ffmpeg)), max: Math.max(...samples.map((s) => s.ffmpeg)), distinctPids: ffmpegSeen.size, afterStop: ffmpegAfterStop },
    eventLoopLagMs: { p99: round(runLagP99), max: round(runLagMax), worstMinuteP99: round(Math.max(0, ...minuteLagP99)) },
    segments: { closed: segmentsClosed, expected, ratio: round(segmentsClosed / expected, 3), perCamera: Object.fromEntries([...segmentsBy.entries()].sort()) },
    gaps: { total: Object.values(gapsByCause).reduce((a, b) => a + b, 0), byCause: gapsByCause },
    recordingErrors,
    faults: {
      injected: faults.length,
      recovered: faults.filter((f) => f.recoveredAt !== undefined).length,
      byKind,
      recoveryMs: { p50: percentile(recoveries, 0.5), max: Math.max(0, ...recoveries) },
      unrecovered: faults.filter((f) => f.recoveredAt === undefined).map((f) => ({ n: f.n, kind: f.kind, camera: f.camera, at: f.at, restoredAt: f.restoredAt ?? null, states: f.states })),
      list: faults.map((f) => ({ n: f.n, kind: f.kind, camera: f.camera, at: f.at, restoredAt: f.restoredAt ?? null, recoveredAt: f.recoveredAt ?? null, states: f.states, detail: f.detail ?? null })),
    },
    ...(flap
      ? {
          flapping: {
            cycles: flap.cycles,
            failed: flap.failed,
            reconnectMs: { p50: percentile(flap.reconnectMs, 0.5), max: Math.max(0, ...flap.reconnectMs) },
            fds: { before: flap.before?.fds, after: flap.after?.fds },
            ffmpeg: { before: flap.before?.ffmpeg, after: flap.after?.ffmpeg },
            rssMb: { before: round(flap.before?.rssMb ?? 0), after: round(flap.after?.rssMb ?? 0), ratio: round((flap.after?.rssMb ?? 0) / (flap.before?.rssMb ?? 1), 3) },
          },
        }
      : {}),
    orphans: {
      afterStop: leftAfterStop.map((p) => ({ pid: p.pid, comm: p.comm })),
      afterSimulatorStop: leftAfterSimulator.map((p) => ({ pid: p.pid, comm: p.comm })),
      ffmpegStillRunning: orphanFfmpeg,
    },
  };
  const json = JSON.stringify(summary);
  if (args.out) await writeFile(args.out, `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`${json}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
