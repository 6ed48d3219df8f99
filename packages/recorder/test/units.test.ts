import { describe, expect, it } from 'vitest';
import { segmentRelativePath } from '../src/index.js';
import { createProgressParser, type FfmpegProgress } from '../src/progress-parser.js';
import { parseSegmentListLine } from '../src/segment-list-parser.js';
import { resolveInside } from '../src/segment-path.js';
import { buildRecordArgs, rtspInputOptions } from '../src/record-command.js';
import { createRecorder } from '../src/create-recorder.js';

const caps4 = { path: '/x', version: '4.x', rtspTimeoutOption: 'stimeout' as const };
const caps5 = { path: '/y', version: '5.1', rtspTimeoutOption: 'timeout' as const };

describe('building blocks', () => {
  it('parses ffmpeg -progress blocks (out_time_us or the µs-valued out_time_ms)', () => {
    const blocks: FfmpegProgress[] = [];
    const feed = createProgressParser((b) => blocks.push(b));
    for (const l of ['frame=12', 'fps=9.5', 'bitrate= 250.1kbits/s', 'total_size=4096', 'out_time_ms=1200000', 'progress=continue', 'frame=20', 'out_time_us=2000000', 'bitrate=N/A', 'progress=end']) feed(l);
    expect(blocks).toEqual([
      { frame: 12, fps: 9.5, bitrateKbps: 250.1, outTimeUs: 1_200_000, totalSize: 4096, end: false },
      { frame: 20, outTimeUs: 2_000_000, end: true },
    ]);
  });

  it('parses segment list CSV lines, including quoted names', () => {
    expect(parseSegmentListLine('17-000001.mp4,2.000000,4.100000')).toEqual({ file: '17-000001.mp4', start: 2, end: 4.1 });
    expect(parseSegmentListLine('"a,b.mp4",0.5,1.5')).toEqual({ file: 'a,b.mp4', start: 0.5, end: 1.5 });
    expect(parseSegmentListLine('garbage')).toBeUndefined();
    expect(parseSegmentListLine('')).toBeUndefined();
  });

  it('names segments by UTC day, hour and start ms, and keeps paths inside the root', () => {
    const start = Date.UTC(2026, 10, 23, 23, 59, 58, 123);
    expect(segmentRelativePath('cam-a', start)).toBe(`cam-a/2026-11-23/23/${start}.mp4`);
    expect(resolveInside('/rec', 'cam-a/x.mp4')).toBe('/rec/cam-a/x.mp4');
    expect(() => resolveInside('/rec', '../etc/passwd')).toThrow(expect.objectContaining({ code: 'PATH_OUTSIDE_ROOT' }));
  });

  it('chooses the RTSP timeout option by ffmpeg version and never re-encodes', () => {
    expect(rtspInputOptions('rtsp://h/x', 'tcp', 5000, caps4)).toEqual(['-protocol_whitelist', 'rtsp,rtsps,rtp,srtp,udp,tcp,tls', '-analyzeduration', '1000000', '-fpsprobesize', '0', '-rtsp_transport', 'tcp', '-stimeout', '5000000']);
    expect(rtspInputOptions('rtsp://h/x', 'udp', 3000, caps5)).toEqual(['-protocol_whitelist', 'rtsp,rtsps,rtp,srtp,udp,tcp,tls', '-analyzeduration', '1000000', '-fpsprobesize', '0', '-rtsp_transport', 'udp', '-timeout', '3000000']);
    const args = buildRecordArgs({ inputUri: 'rtsp://h/x', transport: 'tcp', socketTimeoutMs: 5000, segmentSeconds: 10, segmentPattern: '/r/c/.incoming/1-%06d.mp4', reportPath: '/r/c/.incoming/1.pipe', liveUrl: 'rtmp://127.0.0.1:1935/live/c?exp=1&sig=a', includeAudio: false, capabilities: caps5 });
    expect(args.slice(args.indexOf('-c'), args.indexOf('-c') + 2)).toEqual(['-c', 'copy']);
    // progress and the segment list go to the report pipe (file protocol, so a ':' in a path is not read as a
    // protocol; inside the tee spec every ':' is escaped for the two option parsers)
    expect(args.slice(args.indexOf('-progress'), args.indexOf('-progress') + 2)).toEqual(['-progress', 'file:/r/c/.incoming/1.pipe']);
    const tee = args.at(-1)!;
    expect(tee).toContain('segment_time=10');
    expect(tee).toContain('[f=flv:onfail=ignore');
    expect(tee.split('|')).toHaveLength(2);
    expect(tee).toContain('segment_list=file\\\\:/r/c/.incoming/1.pipe:segment_list_type=csv');
    const direct = buildRecordArgs({ inputUri: 'rtsp://h/x', transport: 'tcp', socketTimeoutMs: 5000, segmentSeconds: 10, segmentPattern: '/r/c/.incoming/1-%06d.mp4', reportPath: '/r/c/.incoming/1.pipe', includeAudio: false, capabilities: caps4 });
    expect(direct.slice(direct.indexOf('-segment_list'), direct.indexOf('-segment_list') + 2)).toEqual(['-segment_list', 'file:/r/c/.incoming/1.pipe']);
  });

  it('validates recorder options with coded errors', () => {
    expect(() => createRecorder({ root: '' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => createRecorder({ root: '/tmp/a|b' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => createRecorder({ root: '/tmp/a', segmentSeconds: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => createRecorder({ root: '/tmp/a', transport: 'sctp' as 'tcp' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});

describe('record() contract errors', () => {
  it('refuses record() before start() and a second recording of the same camera', async () => {
    const { makeContext, makeSession, makeSpec, tempDir } = await import('./helpers.js');
    const { firstValueFrom } = await import('rxjs');
    const { dir, cleanup } = tempDir();
    const recorder = createRecorder({ root: dir, backoff: { initialMs: 5000 } });
    try {
      await expect(firstValueFrom(recorder.record(makeSpec('cam-x'), makeSession('rtsp://127.0.0.1:1/none')))).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await recorder.start(makeContext());
      const first = recorder.record(makeSpec('cam-x'), makeSession('rtsp://127.0.0.1:1/none')).subscribe();
      await expect(firstValueFrom(recorder.record(makeSpec('cam-x'), makeSession('rtsp://127.0.0.1:1/none')))).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      first.unsubscribe();
      await expect(firstValueFrom(recorder.frames('cam-unknown'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await recorder.stop();
      expect(recorder.pids()).toEqual([]);
      cleanup();
    }
  });
});

describe('segment names', () => {
  it('never reuses an existing segment file name', async () => {
    const { freeSegmentStart } = await import('../src/segment-path.js');
    const { tempDir } = await import('./helpers.js');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { dirname, join } = await import('node:path');
    const { dir, cleanup } = tempDir();
    try {
      const start = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
      expect(await freeSegmentStart(dir, 'cam-a', start)).toBe(start);
      const taken = join(dir, segmentRelativePath('cam-a', start));
      mkdirSync(dirname(taken), { recursive: true });
      writeFileSync(taken, 'x');
      expect(await freeSegmentStart(dir, 'cam-a', start)).toBe(start + 1);
    } finally {
      cleanup();
    }
  });
});
