import { spawn } from 'node:child_process';

/** How long ffmpeg may take to read the first frame, ms. */
const PLAY_DEADLINE_MS = 20_000;

/**
 * Has ffmpeg read one video frame from `uri` (RTSP over TCP); resolves undefined when it did, else why not (exit
 * code and ffmpeg's last line, with `password` masked: the URI is never part of it).
 */
export function playsOneFrame(ffmpegPath: string, uri: string, password?: string): Promise<string | undefined> {
  const rtsp = /^rtsps?:/i.test(uri);
  const args = ['-hide_banner', '-loglevel', 'error', ...(rtsp ? ['-rtsp_transport', 'tcp'] : []), '-i', uri, '-frames:v', '1', '-f', 'null', '-'];
  return new Promise((resolve) => {
    // Asynchronous on purpose: the camera under test may be served from this very process (the simulator).
    const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, PLAY_DEADLINE_MS);
    const masked = (text: string): string => {
      let out = text.replaceAll(uri, '<main uri>');
      if (password) out = out.replaceAll(password, '***').replaceAll(encodeURIComponent(password), '***');
      return out.replace(/\/\/[^/@\s]*@/g, '//***@');
    };
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(`ffmpeg did not start (${error.message})`);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0 && !timedOut) return resolve(undefined);
      const last = stderr.trim().split('\n').pop() ?? '';
      resolve(timedOut ? `no frame within ${PLAY_DEADLINE_MS} ms` : `exit ${code}${last ? `: ${masked(last)}` : ''}`);
    });
  });
}
