import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One traced call: `fsync` (with the file or folder it flushed) or a rename/link (from, to). */
export interface TracedCall {
  call: 'fsync' | 'rename' | 'link';
  paths: string[];
}

/**
 * Runs `action` while `strace` watches this process (every thread, worker threads and libuv's pool included) and
 * returns, in the order the kernel saw them, the fsyncs, renames and links that touched a path under `within`.
 */
export async function traceSyscalls<T>(within: string, action: () => Promise<T>): Promise<{ result: T; calls: TracedCall[] }> {
  const scratch = await mkdtemp(join(tmpdir(), 'ww-strace-'));
  const out = join(scratch, 'trace');
  const tracer = spawn('strace', ['-f', '-y', '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2,link,linkat', '-o', out, '-p', String(process.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => tracer.on('exit', (code) => resolve(code)));
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    tracer.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/attached/.test(stderr)) resolve();
    });
    tracer.on('error', reject);
    void exited.then(() => reject(new Error(`strace could not attach: ${stderr}`)));
  });
  let result: T;
  try {
    result = await action();
  } finally {
    tracer.kill('SIGINT');
    await exited;
  }
  const calls: TracedCall[] = [];
  for (const line of (await readFile(out, 'utf8')).split('\n')) {
    const m = /^\d+\s+(fsync|fdatasync|rename|renameat2?|link|linkat)\((.*)$/.exec(line);
    if (!m || / = -1 /.test(line)) continue;
    const name = m[1]!;
    const paths = name.startsWith('fsync') || name === 'fdatasync' ? [/^\d+<([^>]*)>/.exec(m[2]!)?.[1] ?? ''] : [...m[2]!.matchAll(/"([^"]*)"/g)].map((x) => x[1]!);
    if (!paths.some((p) => p.startsWith(within))) continue;
    calls.push({ call: name.startsWith('rename') ? 'rename' : name.startsWith('link') ? 'link' : 'fsync', paths });
  }
  await rm(scratch, { recursive: true, force: true });
  return { result: result!, calls };
}

/** The position of the first call matching `call` and every given path, or -1. */
export function indexOfCall(calls: readonly TracedCall[], call: TracedCall['call'], ...paths: string[]): number {
  return calls.findIndex((c) => c.call === call && paths.every((p, i) => c.paths[i] === p));
}
