import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
