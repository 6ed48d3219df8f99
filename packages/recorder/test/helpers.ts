import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY } from 'rxjs';
import { createMemoryStorage, createRecorderContext, parseCameraSpec, silentLogger, systemClock, type CameraSession, type CameraSpec, type RecorderContext, type StationEvent, type StorageAdapter } from '@wardwatch/core';

/** A fresh temp dir, removed by the returned cleanup. */
export function tempDir(prefix = 'ww-rec-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A recorder context on memory storage (the station's segment index over it) that collects the station events it produces. */
export function makeContext(storage: StorageAdapter = createMemoryStorage()): RecorderContext & { events: StationEvent[]; storage: StorageAdapter } {
  const events: StationEvent[] = [];
  const context = createRecorderContext({ storage, clock: systemClock, logger: process.env.WW_DEBUG ? consoleLogger : silentLogger, emit: (e) => events.push(e) });
  return { ...context, storage, events };
}

/** A validated camera spec for tests. */
export function makeSpec(id: string, overrides: Record<string, unknown> = {}): CameraSpec {
  return parseCameraSpec({
    id,
    name: `Camera ${id}`,
    site: { ward: 'Phường Test', station: 'CA Test' },
    location: { lat: 21.03, lon: 105.85 },
    ownership: 'station',
    driver: 'test',
    connection: { host: '127.0.0.1' },
    ...overrides,
  });
}

/** A minimal camera session over stream URIs (no ONVIF). */
export function makeSession(main: string, sub = main, snapshot?: () => Promise<Uint8Array>): CameraSession {
  return {
    streams: { main: { uri: main }, sub: { uri: sub } },
    events$: EMPTY,
    snapshot: snapshot ?? (() => Promise.reject(new Error('no snapshot URI'))),
    probe: async () => ({ ok: true, latencyMs: 1 }),
    close: async () => undefined,
  };
}

/** Whether a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `predicate` holds (polling), or fails after `timeoutMs`. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}


const consoleLogger: import('@wardwatch/core').Logger = {
  debug: (o, m) => console.debug('[debug]', m, JSON.stringify(o)),
  info: (o, m) => console.info('[info]', m, JSON.stringify(o)),
  warn: (o, m) => console.warn('[warn]', m, JSON.stringify(o)),
  error: (o, m) => console.error('[error]', m, JSON.stringify(o, (_k, v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v))),
  child: () => consoleLogger,
};
