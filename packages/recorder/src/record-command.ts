import ffmpeg from 'fluent-ffmpeg';
import type { FfmpegCapabilities } from './ffmpeg-capabilities.js';
import { STREAM_INPUT_WHITELIST } from './protocol-whitelist.js';

/** Inputs of {@link buildRecordArgs}. */
export interface RecordCommandOptions {
  inputUri: string;
  transport: 'tcp' | 'udp';
  /** RTSP socket I/O timeout, ms. */
  socketTimeoutMs: number;
  segmentSeconds: number;
  /** Segment file pattern (with `%06d`), absolute. */
  segmentPattern: string;
  /** Named pipe for ffmpeg's progress blocks and segment list (see `openReportPipe`). */
  reportPath: string;
  /** Live relay output (RTMP URL); recording goes on when it fails. */
  liveUrl?: string;
  includeAudio: boolean;
  capabilities: FfmpegCapabilities;
}

/**
 * Camera stream input options: the protocol whitelist (RTSP and what it runs on, never `file`), short probing,
 * and for RTSP the transport and socket timeout, chosen for the binary's option names.
 */
export function rtspInputOptions(uri: string, transport: 'tcp' | 'udp', socketTimeoutMs: number, caps: FfmpegCapabilities): string[] {
  // short probing: media starts ~1 s after connect instead of ~3 s (frame-rate probing), so liveness is current
  const probe = [...STREAM_INPUT_WHITELIST, '-analyzeduration', '1000000', '-fpsprobesize', '0'];
  if (!/^rtsps?:/i.test(uri)) return probe;
  return [
    ...probe,'-rtsp_transport', transport, `-${caps.rtspTimeoutOption}`, String(Math.round(socketTimeoutMs * 1000))];
}

/**
 * Builds the ffmpeg arguments of one camera's recording process with fluent-ffmpeg: one pull of the stream,
 * copied (no re-encode) into fragmented-MP4 segments and, when given, through the `tee` muxer also into an FLV/RTMP
 * live output marked `onfail=ignore`. Progress blocks (every 0.5 s, ffmpeg's default on 4.x and 5.x) and the
 * segment list (CSV) both go to the named pipe `reportPath`.
 */
export function buildRecordArgs(options: RecordCommandOptions): string[] {
  const segmentSlave = [
    'f=segment',
    `segment_time=${options.segmentSeconds}`,
    'segment_format=mp4',
    // Fragmented MP4, flushed per fragment: every finished fragment (one GOP) stays readable after a crash.
    // The ':' between the inner options is escaped for three parsers (tee spec, slave options, segment options).
    'segment_format_options=movflags=+frag_keyframe+empty_moov+default_base_moof\\\\\\:flush_packets=1',
    'reset_timestamps=1',
    // the list goes to the report pipe; every ':' is escaped twice (tee spec, then slave options)
    `segment_list=${`file:${options.reportPath}`.replaceAll(':', '\\\\:')}`,
    'segment_list_type=csv',
  ].join(':');
  const slaves = [`[${segmentSlave}]${options.segmentPattern}`];
  if (options.liveUrl) slaves.push(`[f=flv:onfail=ignore:flvflags=no_duration_filesize]${options.liveUrl}`);

  const inputOptions = rtspInputOptions(options.inputUri, options.transport, options.socketTimeoutMs, options.capabilities);
  const command = ffmpeg().input(options.inputUri);
  if (inputOptions.length > 0) command.inputOptions(...inputOptions);
  // copy with the demuxer's 90 kHz time base: no re-encode, no rounding of jittery camera timestamps
  const streams = ['-map', '0:v:0', ...(options.includeAudio ? ['-map', '0:a:0?'] : []), '-c', 'copy', '-copytb', '1'];
  if (options.liveUrl) {
    command.output(slaves.join('|')).outputOptions(...streams, '-f', 'tee');
  } else {
    // no live relay: the segment muxer directly, without the tee muxer's per-packet copy to its slave
    command.output(options.segmentPattern).outputOptions(
      ...streams,
      '-f', 'segment',
      '-segment_time', String(options.segmentSeconds),
      '-segment_format', 'mp4',
      '-segment_format_options', 'movflags=+frag_keyframe+empty_moov+default_base_moof:flush_packets=1',
      '-reset_timestamps', '1',
      '-segment_list', `file:${options.reportPath}`,
      '-segment_list_type', 'csv',
    );
  }
  return ['-hide_banner', '-nostats', '-loglevel', 'info', '-progress', `file:${options.reportPath}`, ...command._getArguments()];
}
