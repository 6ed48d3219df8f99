import { afterEach, describe, expect, it } from 'vitest';
import { findFfmpeg } from '../src/index.js';
import { BUNDLED_FFMPEG } from './helpers.js';

describe('findFfmpeg', () => {
  const saved = { path: process.env.PATH, ff: process.env.FFMPEG_PATH };
  afterEach(() => {
    process.env.PATH = saved.path;
    if (saved.ff === undefined) delete process.env.FFMPEG_PATH;
    else process.env.FFMPEG_PATH = saved.ff;
  });

  it('falls back to the bundled ffmpeg when neither FFMPEG_PATH nor PATH has one', () => {
    delete process.env.FFMPEG_PATH;
    process.env.PATH = '/nonexistent-dir';
    expect(findFfmpeg()).toBe(BUNDLED_FFMPEG);
  });

  it('prefers FFMPEG_PATH, and rejects an explicit path that does not exist with FFMPEG_NOT_FOUND', () => {
    process.env.FFMPEG_PATH = BUNDLED_FFMPEG;
    expect(findFfmpeg()).toBe(BUNDLED_FFMPEG);
    expect(() => findFfmpeg('/no/such/ffmpeg')).toThrow(expect.objectContaining({ code: 'FFMPEG_NOT_FOUND' }));
  });
});
