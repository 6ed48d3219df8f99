import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { asyncScheduler, type Subscription } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { hashFile, type Clock, type RecorderSignal, type Segment } from '@wardwatch/core';
import type { Simulator } from '@wardwatch/simulator';
import { createRecorder } from '../src/create-recorder.js';
import { makeContext, makeSession, makeSpec, tempDir, waitFor } from './helpers.js';
import { startLightSimulator } from './sim-cameras.js';

const HOUR = 3_600_000;

// An NTP step: the station's wall clock jumps back an hour, then forward two, while a camera records and its
// recording process is restarted under each clock. Nothing may be overwritten or indexed with a negative length.
describe('clock steps while recording (injected clock)', () => {
  const tmp = tempDir('ww-clocksteps-');
  let sim: Simulator | undefined;
  afterAll(async () => {
    await sim?.stop();
    tmp.cleanup();
  }, 30_000);

  it('no negative durations, no file overwritten, no negative gaps, and the index matches the files', async () => {
    sim = await startLightSimulator(['cam-k']);
    let offset = 0;
    const clock = Object.assign(Object.create(asyncScheduler) as Clock, { now: () => Date.now() + offset });
    const ctx = { ...makeContext(), clock };
    const recorder = createRecorder({ root: tmp.dir, segmentSeconds: 1 });
    await recorder.start(ctx);
    const cam = sim.camera('cam-k');
    const signals: RecorderSignal[] = [];
    const segments: Segment[] = [];
    let sub: Subscription | undefined;
    const record = (): void => {
      sub = recorder.record(makeSpec('cam-k'), makeSession(cam.rtspUrl.main, cam.rtspUrl.sub)).subscribe((signal) => {
        signals.push(signal);
        if (signal.type === 'segment') {
          segments.push(signal.segment);
          void ctx.storage.segments.add(signal.segment);
        }
      });
    };
    const more = async (count: number, what: string): Promise<void> => {
      const before = segments.length;
      await waitFor(() => segments.length >= before + count, 30_000, what);
    };
    record();
    await more(3, 'first segments');
    // stepped back: the run after the camera's reboot takes its times from the clock an hour behind
    offset = -HOUR;
    await cam.reboot(1500);
    await more(3, 'segments an hour back');
    offset = 0; // and forward again, with another restart
    await cam.reboot(1500);
    await more(3, 'segments after the step forward');
    // a step while a run goes on: its segments keep the run's anchor (media time), no jump inside a run
    const mid = segments.length;
    offset = HOUR;
    await more(3, 'segments after a step inside the run');
    await recorder.stop(); // the last segments are closed and reported before the signals end
    sub!.unsubscribe();

    for (const s of segments) expect(s.end - s.start, s.path).toBeGreaterThanOrEqual(0);
    expect(new Set(segments.map((s) => s.path)).size).toBe(segments.length);
    // every segment's file is there with the bytes it was reported with: none replaced by a later one
    for (const s of segments) {
      expect(existsSync(join(tmp.dir, s.path)), s.path).toBe(true);
      expect(await hashFile(join(tmp.dir, s.path))).toEqual({ sha256: s.sha256, bytes: s.bytes });
    }
    const files = readdirSync(join(tmp.dir, 'cam-k'), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith('.mp4') && !d.parentPath.includes('.incoming'))
      .map((d) => relative(tmp.dir, join(d.parentPath, d.name)))
      .sort();
    expect(files).toEqual(segments.map((s) => s.path).sort());
    const indexed = await ctx.storage.segments.query('cam-k', { from: 0, to: Date.now() + 2 * HOUR });
    expect(indexed.map((s) => s.path).sort()).toEqual(files);
    // inside the run that saw the step, the segments follow each other without an hour's jump
    const run = segments.slice(mid - 1);
    for (let i = 1; i < run.length; i++) expect(Math.abs(run[i]!.start - run[i - 1]!.end)).toBeLessThan(5_000);
    // the reboots are gaps, none of negative length
    const gaps = signals.filter((x): x is Extract<RecorderSignal, { type: 'gap' }> => x.type === 'gap');
    expect(gaps.length).toBeGreaterThanOrEqual(2);
    for (const g of gaps) expect(g.to).toBeGreaterThanOrEqual(g.from);
  }, 120_000);
});
