import { ffmpegFailureCause } from './ffmpeg-failure.js';
import type { ProcessExit } from './process-runner.js';

/**
 * Why a recording process ended, as a status cause: the camera's fault when ffmpeg's last lines name one
 * (`auth-failed`, `connection-refused`, ...), `disk-full` when the recording disk is full (ffmpeg may even crash on it),
 * `stream-ended` after a clean exit, else the exit code or signal.
 * It never quotes ffmpeg's output: those lines carry what the camera sent (RTSP reason phrases, SDP, URLs), which
 * must not reach a status, an event or a viewer; they are logged, redacted, instead.
 */
export function describeFfmpegExit(exit: Pick<ProcessExit, 'code' | 'signal' | 'stderrTail'>): string {
  const tail = exit.stderrTail.join('\n');
  if (/No space left on device/i.test(tail)) return 'disk-full';
  const cause = ffmpegFailureCause(tail);
  if (cause) return cause;
  if (exit.code === 0 && exit.signal === null) return 'stream-ended';
  return `ffmpeg exited (${exit.signal ?? `code ${exit.code}`})`;
}
