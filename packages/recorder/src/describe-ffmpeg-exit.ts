import { ffmpegFailureCause } from './ffmpeg-failure.js';
import type { ProcessExit } from './process-runner.js';

/**
 * Why a recording process ended, as a status cause: the camera's fault when ffmpeg's last lines name one
 * (`auth-failed`, `connection-refused`, ...), `stream-ended` after a clean exit, else the exit code or signal.
 * It never quotes ffmpeg's output: those lines carry what the camera sent (RTSP reason phrases, SDP, URLs), which
 * must not reach a status, an event or a viewer; they are logged, redacted, instead.
 */
export function describeFfmpegExit(exit: Pick<ProcessExit, 'code' | 'signal' | 'stderrTail'>): string {
  const cause = ffmpegFailureCause(exit.stderrTail.join('\n'));
  if (cause) return cause;
  if (exit.code === 0 && exit.signal === null) return 'stream-ended';
  return `ffmpeg exited (${exit.signal ?? `code ${exit.code}`})`;
}
