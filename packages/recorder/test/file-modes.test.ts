import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '@wardwatch/core';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveFfmpegPath, resolveFfprobePath } from '../src/ffmpeg-binaries.js';
import { createProcessRunner } from '../src/process-runner.js';
import { recoverIncoming } from '../src/recover-segments.js';
import { createSegmentFinisher } from '../src/segment-finisher.js';
import { tempDir } from './helpers.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('file modes of finished segments (issue 24, item 5)', () => {
  it('gives other users nothing, whatever mode ffmpeg wrote the segment with and whatever the umask', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const finisher = createSegmentFinisher();
    cleanups.push(() => finisher.close());
    mkdirSync(join(dir, 'in'));
    const src = join(dir, 'in', 'a.mp4');
    writeFileSync(src, 'segment');
    chmodSync(src, 0o666); // what a umask-less ffmpeg could leave
    const dest = join(dir, 'cam', '2026-01-01', '08', '1.mp4');
    await expect(finisher.finish({ src, dest, journalPath: join(dir, 'in', 'run.json'), journalText: '{}' })).resolves.toMatchObject({ type: 'done' });
    expect(modeOf(dest)).toBe(0o640);
    for (const folder of [join(dir, 'cam'), join(dir, 'cam', '2026-01-01'), join(dir, 'cam', '2026-01-01', '08')]) {
      expect(modeOf(folder) & ~0o750, folder).toBe(0);
    }
    // a tighter mode stays tight
    const tight = join(dir, 'in', 'b.mp4');
    writeFileSync(tight, 'segment', { mode: 0o600 });
    chmodSync(tight, 0o600);
    const dest2 = join(dir, 'cam', '2026-01-01', '08', '2.mp4');
    await finisher.finish({ src: tight, dest: dest2, journalPath: join(dir, 'in', 'run.json'), journalText: '{}' });
    expect(modeOf(dest2)).toBe(0o600);
  });
});

describe('file modes of recovered segments', () => {
  it('places a repaired orphan with no bits for other users', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const runner = createProcessRunner();
    cleanups.push(() => runner.dispose());
    const incoming = join(dir, 'cam-m', '.incoming');
    mkdirSync(incoming, { recursive: true });
    const orphan = join(incoming, '100-000000.mp4');
    execFileSync(resolveFfmpegPath(), [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=10', '-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast',
      '-g', '10', '-pix_fmt', 'yuv420p', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', orphan,
    ]);
    writeFileSync(join(incoming, '100.json'), JSON.stringify({ anchor: Date.UTC(2026, 2, 1, 6) }));
    const previous = process.umask(0o000); // the loosest umask: ffmpeg's repaired copy is written 0666
    let recovered: Awaited<ReturnType<typeof recoverIncoming>>;
    try {
      recovered = await recoverIncoming({ root: dir, ffmpegPath: resolveFfmpegPath(), ffprobePath: resolveFfprobePath(), runner, logger: silentLogger }, 'cam-m');
    } finally {
      process.umask(previous);
    }
    expect(recovered).toHaveLength(1);
    expect(modeOf(join(dir, recovered[0]!.path)) & ~0o640).toBe(0);
    expect(modeOf(join(dir, recovered[0]!.path, '..')) & ~0o750).toBe(0);
  }, 60_000);
});
