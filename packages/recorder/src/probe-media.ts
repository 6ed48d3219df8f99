import { execFile } from 'node:child_process';
import { WardwatchError } from '@wardwatch/core';
import { FILE_INPUT_WHITELIST } from './protocol-whitelist.js';

/** What ffprobe reports about a media file. */
export interface MediaInfo {
  /** Duration in seconds (0 when unknown). */
  duration: number;
  /** Start time in seconds. */
  startTime: number;
  /** Codec of the first video stream. */
  codec?: string;
  width?: number;
  height?: number;
  /** Number of video packets, when counted. */
  videoPackets?: number;
}

/** Probes a media file with ffprobe (JSON output); rejects with `MEDIA_INVALID` when it is unreadable. */
export function probeMedia(ffprobePath: string, file: string, options: { countPackets?: boolean } = {}): Promise<MediaInfo> {
  const args = [...FILE_INPUT_WHITELIST, '-v', 'error', '-of', 'json', '-show_entries', 'format=duration,start_time:stream=codec_type,codec_name,width,height,nb_read_packets'];
  if (options.countPackets) args.push('-count_packets');
  args.push(file);
  return new Promise((resolve, reject) => {
    execFile(ffprobePath, args, { timeout: 30_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new WardwatchError('MEDIA_INVALID', `ffprobe could not read ${file}: ${String(stderr).trim().split('\n').slice(-2).join(' ')}`, { cause: error }));
        return;
      }
      try {
        const json = JSON.parse(stdout) as {
          format?: { duration?: string; start_time?: string };
          streams?: Array<{ codec_type?: string; codec_name?: string; width?: number; height?: number; nb_read_packets?: string }>;
        };
        const video = json.streams?.find((s) => s.codec_type === 'video');
        const info: MediaInfo = {
          duration: Number.parseFloat(json.format?.duration ?? '0') || 0,
          startTime: Number.parseFloat(json.format?.start_time ?? '0') || 0,
        };
        if (video?.codec_name) info.codec = video.codec_name;
        if (video?.width) info.width = video.width;
        if (video?.height) info.height = video.height;
        if (video?.nb_read_packets !== undefined) info.videoPackets = Number.parseInt(video.nb_read_packets, 10);
        resolve(info);
      } catch (parseError) {
        reject(new WardwatchError('MEDIA_INVALID', `ffprobe output for ${file} is not JSON`, { cause: parseError }));
      }
    });
  });
}
