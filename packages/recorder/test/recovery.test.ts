import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFile, silentLogger } from '@wardwatch/core';
import { resolveFfmpegPath, resolveFfprobePath } from '../src/ffmpeg-binaries.js';
import { createProcessRunner } from '../src/process-runner.js';
import { findUnindexed, recoverIncoming, type RecoveryTools } from '../src/recover-segments.js';
import { segmentRelativePath } from '../src/segment-path.js';
import { tempDir } from './helpers.js';

/** Every file under `dir`, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort();
}

describe('recovery at start (orphaned and unindexed segments)', () => {
  const tmp = tempDir('ww-recovery-');
  const runner = createProcessRunner();
  /** A 3 s fragmented MP4 like the recorder writes. */
  let sample = '';
  const T0 = Date.UTC(2026, 2, 1, 6);

  beforeAll(() => {
    sample = join(tmp.dir, 'sample.mp4');
    execFileSync(resolveFfmpegPath(), [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10', '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast',
      '-g', '10', '-pix_fmt', 'yuv420p', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', sample,
    ]);
  }, 60_000);
  afterAll(async () => {
    await runner.dispose();
    tmp.cleanup();
  });

  const toolsFor = (root: string): RecoveryTools => ({ root, ffmpegPath: resolveFfmpegPath(), ffprobePath: resolveFfprobePath(), runner, logger: silentLogger });

  it('after a crash between placing a repaired segment and removing its original, indexes the placed copy once', async () => {
    const root = join(tmp.dir, 'crash-after-place');
    const incoming = join(root, 'cam-r', '.incoming');
    mkdirSync(incoming, { recursive: true });
    // the state such a crash leaves: the original, the note, and the repaired copy already in place
    copyFileSync(sample, join(incoming, '100-000000.mp4'));
    writeFileSync(join(incoming, '100.json'), JSON.stringify({ anchor: T0 }));
    const placed = segmentRelativePath('cam-r', T0);
    mkdirSync(dirname(join(root, placed)), { recursive: true });
    copyFileSync(sample, join(root, placed));
    writeFileSync(join(incoming, '100-000000.mp4.placed.json'), JSON.stringify({ start: T0, end: T0 + 3000, codec: 'h264', ...(await hashFile(join(root, placed))) }));

    const recovered = await recoverIncoming(toolsFor(root), 'cam-r');
    expect(recovered.map((s) => [s.path, s.start, s.end])).toEqual([[placed, T0, T0 + 3000]]);
    expect(recovered[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    // one copy of the footage, nothing left to recover again
    expect(filesUnder(join(root, 'cam-r'))).toEqual([placed.slice('cam-r/'.length)]);
    expect(await recoverIncoming(toolsFor(root), 'cam-r')).toEqual([]);
  });

  it('never trusts a placed copy that is not intact: the original is repaired again and nothing is deleted', async () => {
    const root = join(tmp.dir, 'placed-damaged');
    const incoming = join(root, 'cam-d', '.incoming');
    mkdirSync(incoming, { recursive: true });
    copyFileSync(sample, join(incoming, '150-000000.mp4'));
    writeFileSync(join(incoming, '150.json'), JSON.stringify({ anchor: T0 }));
    const placed = segmentRelativePath('cam-d', T0);
    mkdirSync(dirname(join(root, placed)), { recursive: true });
    copyFileSync(sample, join(root, placed));
    const intact = await hashFile(join(root, placed));
    // a power cut left the copy's name but not its data: same size, zeros
    writeFileSync(join(root, placed), Buffer.alloc(intact.bytes));
    writeFileSync(join(incoming, '150-000000.mp4.placed.json'), JSON.stringify({ start: T0, end: T0 + 3000, codec: 'h264', ...intact }));

    const recovered = await recoverIncoming(toolsFor(root), 'cam-d');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]!.start).toBe(T0 + 1); // the next free name; the damaged copy is left alone
    expect(recovered[0]!.sha256).not.toBe('0'.repeat(64));
    expect(filesUnder(join(root, 'cam-d'))).toEqual([placed, segmentRelativePath('cam-d', T0 + 1)].map((p) => p.slice('cam-d/'.length)));
  });

  it('a file it cannot place holds back the rest of its run, and the journal remembers what was placed', async () => {
    const root = join(tmp.dir, 'run-order');
    const incoming = join(root, 'cam-o', '.incoming');
    mkdirSync(incoming, { recursive: true });
    for (const n of [0, 1, 2]) copyFileSync(sample, join(incoming, `400-00000${n}.mp4`));
    writeFileSync(join(incoming, '400.json'), JSON.stringify({ anchor: T0 }));
    // the second file's repair cannot be written (a directory has its name): a fault, not bad media
    mkdirSync(join(incoming, '400-000001.mp4.fixed.mp4'));

    const first = await recoverIncoming(toolsFor(root), 'cam-o');
    expect(first.map((s) => s.start)).toEqual([T0]);
    // the second is kept as it is (not taken for unplayable) and the third waits behind it
    expect(filesUnder(incoming)).toEqual(['400-000001.mp4', '400-000002.mp4', '400.json']);
    rmSync(join(incoming, '400-000001.mp4.fixed.mp4'), { recursive: true });
    const second = await recoverIncoming(toolsFor(root), 'cam-o');
    // placed after the first one, in order: not at the run's anchor, not at each other's time
    expect(second.map((s) => s.start)).toEqual([first[0]!.end, second[0]!.end]);
    expect(second[0]!.start - T0).toBeGreaterThan(2500);
    expect(filesUnder(incoming)).toEqual([]);
  });

  it('after a crash before the move, repairs the original as usual and drops the stale note', async () => {
    const root = join(tmp.dir, 'crash-before-place');
    const incoming = join(root, 'cam-s', '.incoming');
    mkdirSync(incoming, { recursive: true });
    copyFileSync(sample, join(incoming, '200-000000.mp4'));
    writeFileSync(join(incoming, '200.json'), JSON.stringify({ anchor: T0 }));
    // a valid note, written just before a crash that came before the copy was moved: nothing at its name
    writeFileSync(join(incoming, '200-000000.mp4.placed.json'), JSON.stringify({ start: T0, end: T0 + 3000, codec: 'h264', ...(await hashFile(sample)) }));

    const recovered = await recoverIncoming(toolsFor(root), 'cam-s');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]!.start).toBe(T0);
    expect(Math.abs(recovered[0]!.end - (T0 + 3000))).toBeLessThanOrEqual(100);
    expect(filesUnder(join(root, 'cam-s'))).toEqual([segmentRelativePath('cam-s', T0).slice('cam-s/'.length)]);
  });

  it('keeps the run journal of a file it could not recover, so the next attempt still has its timing', async () => {
    const root = join(tmp.dir, 'blocked');
    const incoming = join(root, 'cam-t', '.incoming');
    mkdirSync(incoming, { recursive: true });
    copyFileSync(sample, join(incoming, '300-000000.mp4'));
    writeFileSync(join(incoming, '300.json'), JSON.stringify({ anchor: T0 }));
    // a file where the day directory should be: the move into place fails
    const day = join(root, dirname(dirname(segmentRelativePath('cam-t', T0))));
    writeFileSync(day, 'in the way');
    expect(await recoverIncoming(toolsFor(root), 'cam-t')).toEqual([]);
    expect(filesUnder(incoming)).toEqual(['300-000000.mp4', '300.json']);
    rmSync(day);
    const recovered = await recoverIncoming(toolsFor(root), 'cam-t');
    expect(recovered.map((s) => s.start)).toEqual([T0]); // from the journal's anchor, not the file's mtime
    expect(filesUnder(incoming)).toEqual([]);
  });

  it('does not index empty or media-less files of the dated tree; keeps them as .unplayable', async () => {
    const root = join(tmp.dir, 'unindexed');
    const good = segmentRelativePath('cam-u', T0);
    const empty = segmentRelativePath('cam-u', T0 + 3000);
    const headerOnly = segmentRelativePath('cam-u', T0 + 6000);
    for (const rel of [good, empty, headerOnly]) mkdirSync(dirname(join(root, rel)), { recursive: true });
    copyFileSync(sample, join(root, good));
    writeFileSync(join(root, empty), '');
    // what ffmpeg has written of a segment before its first fragment: ftyp + moov, no media
    execFileSync(resolveFfmpegPath(), ['-hide_banner', '-loglevel', 'error', '-i', sample, '-c', 'copy', '-frames:v', '0', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', '-y', join(root, headerOnly)]);

    const found = await findUnindexed(toolsFor(root), 'cam-u', 0, async () => false);
    expect(found.map((s) => s.path)).toEqual([good]);
    expect(found[0]!.end - found[0]!.start).toBeGreaterThan(2500);
    expect(existsSync(join(root, `${empty}.unplayable`))).toBe(true);
    expect(existsSync(join(root, `${headerOnly}.unplayable`))).toBe(true);
    expect(await findUnindexed(toolsFor(root), 'cam-u', 0, async (start) => start === T0)).toEqual([]);
  });
});
