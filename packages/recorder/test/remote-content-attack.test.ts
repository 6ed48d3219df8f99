import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger, RecorderSignal } from '@wardwatch/core';
import { createRecorder } from '../src/index.js';
import { makeContext, makeSession, makeSpec, tempDir, waitFor } from './helpers.js';

const CAMERA_PASSWORD = 'cam-Secret-77';
/** What a hostile camera puts in its RTSP answers: markup, a URL with a password, a path password. */
const EVIL = '<script>alert(1)</script> rtsp://admin:leaked-pw@10.0.0.1/x user=admin_password=leaked-pw2_channel=1';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A camera that answers every RTSP request with an error whose reason phrase is attacker-chosen. */
async function hostileCamera(): Promise<number> {
  const server: Server = createServer((socket) => {
    socket.on('data', (data) => {
      const cseq = /CSeq:\s*(\d+)/i.exec(String(data))?.[1] ?? '1';
      socket.write(`RTSP/1.0 454 ${EVIL}\r\nCSeq: ${cseq}\r\n\r\n`);
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** A logger that keeps every entry as JSON text. */
function capturingLogger(lines: string[]): Logger {
  const log = (level: string) => (fields: object, message?: string) => lines.push(JSON.stringify({ level, message, ...fields }, (_k, v: unknown) => (v instanceof Error ? { message: v.message, ...(v as object) } : v)));
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: () => logger } as unknown as Logger;
  return logger;
}

describe('attack: a camera puts secrets and markup in its answers (issue 24 #3, #14)', () => {
  it('status causes, errors and logs never echo what the camera sent; passwords never reach a log', async () => {
    const port = await hostileCamera();
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const logs: string[] = [];
    const ctx = { ...makeContext(), logger: capturingLogger(logs) };
    const recorder = createRecorder({ root: dir, logger: ctx.logger, backoff: { initialMs: 200, maxMs: 400 } });
    await recorder.start(ctx);
    cleanups.push(() => recorder.stop());
    const url = `rtsp://admin:${CAMERA_PASSWORD}@127.0.0.1:${port}/stream`;
    const signals: RecorderSignal[] = [];
    const sub: Subscription = recorder.record(makeSpec('cam-evil'), makeSession(url)).subscribe((s) => signals.push(s));
    cleanups.push(() => sub.unsubscribe());
    await waitFor(() => signals.some((s) => s.type === 'disconnected') && logs.some((l) => l.includes('recording process ended')), 30_000, 'a failed run');
    const snapshotError = await recorder.snapshot('cam-evil').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(snapshotError).toBeDefined();

    const said = JSON.stringify({ signals: signals.map((s) => (s.type === 'error' ? { ...s, error: s.error.toJSON() } : s)), snapshot: snapshotError!.message });
    for (const remote of ['<script>', 'alert(1)', 'leaked-pw', 'leaked-pw2', '454 ']) expect(said).not.toContain(remote);
    const cause = signals.find((s): s is Extract<RecorderSignal, { type: 'disconnected' }> => s.type === 'disconnected')!.cause;
    expect(cause).toMatch(/^(ffmpeg exited \((code \d+|SIG\w+)\)|auth-failed|connection-refused|timeout|connection-lost|stream-ended)$/);
    const logged = logs.join('\n');
    // ffmpeg's stderr tail is logged at info (redacted): the camera's password and the passwords it sent are not
    expect(logged).toContain('recording process ended');
    // the camera's words did reach ffmpeg's stderr (so a cause quoting ffmpeg would have carried them)
    expect(logged).toContain('alert(1)');
    expect(logged).not.toContain(CAMERA_PASSWORD);
    expect(logged).not.toContain('leaked-pw');
  }, 60_000);
});
