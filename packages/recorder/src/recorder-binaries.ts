import { detectCapabilities, type FfmpegCapabilities } from './ffmpeg-capabilities.js';
import { resolveFfmpegPath, resolveFfprobePath } from './ffmpeg-binaries.js';

/** The ffmpeg and ffprobe a recorder uses, found once, with the capabilities of that ffmpeg (internal). */
export interface RecorderBinaries {
  get(): { ffmpegPath: string; ffprobePath: string; caps: Promise<FfmpegCapabilities> };
  /** Forgets the capabilities (a failed start looks for ffmpeg again next time: it may have been installed meanwhile). */
  forgetCapabilities(): void;
}

/** Finds the binaries lazily (`ffmpegPath` → `FFMPEG_PATH` → PATH → bundled; ffprobe likewise). */
export function createRecorderBinaries(options: { ffmpegPath?: string | undefined; ffprobePath?: string | undefined }): RecorderBinaries {
  let ffmpegPath: string | undefined;
  let ffprobePath: string | undefined;
  let caps: Promise<FfmpegCapabilities> | undefined;
  return {
    get() {
      ffmpegPath ??= resolveFfmpegPath(options.ffmpegPath);
      ffprobePath ??= resolveFfprobePath(options.ffprobePath);
      caps ??= detectCapabilities(ffmpegPath);
      return { ffmpegPath, ffprobePath, caps };
    },
    forgetCapabilities() {
      caps = undefined;
    },
  };
}
