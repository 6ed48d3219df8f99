import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { ManagedProcess, ProcessExit, ProcessRunner, SpawnOptions } from '../src/index.js';

/**
 * A scripted stand-in for an ffmpeg child (unit tests only): the test writes its progress (into the real named pipe
 * given as `-progress file:<path>`, as ffmpeg would) and decides when it exits.
 */
export class FakeProcess implements ManagedProcess {
  readonly stdin = new PassThrough();
  readonly stdout = new PassThrough();
  readonly exited: Promise<ProcessExit>;
  /** Signals sent with `kill()`, in order. */
  readonly kills: string[] = [];
  stopped = false;
  private resolveExit!: (exit: ProcessExit) => void;
  private done = false;
  private progressFd: number | undefined;

  constructor(
    readonly pid: number,
    readonly args: readonly string[],
    readonly options: SpawnOptions,
  ) {
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
  }

  /** Ends the process with this exit code/signal and stderr tail. */
  exit(code: number | null, signal: NodeJS.Signals | null = null, stderrTail: string[] = []): void {
    if (this.done) return;
    this.done = true;
    for (const line of stderrTail) this.options.onStderrLine?.(line);
    this.stdout.end();
    if (this.progressFd !== undefined) closeSync(this.progressFd);
    this.progressFd = undefined;
    this.resolveExit({ code, signal, stderrTail });
  }

  /** Writes one `-progress` block into the report pipe; the recorder reads it on its next tick. */
  progress(frame: number, outTimeUs: number): void {
    if (this.progressFd === undefined) {
      const arg = this.args[this.args.indexOf('-progress') + 1];
      if (!arg?.startsWith('file:')) throw new Error('no -progress file:<path> in the arguments');
      // non-blocking: the recorder holds the reading end open already
      this.progressFd = openSync(arg.slice('file:'.length), constants.O_WRONLY | constants.O_NONBLOCK);
    }
    writeSync(this.progressFd, `frame=${frame}\nfps=10\nout_time_us=${outTimeUs}\nprogress=continue\n`);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.done) return;
    this.kills.push(signal);
    this.exit(null, signal);
  }

  stop(): Promise<ProcessExit> {
    this.stopped = true;
    this.exit(0);
    return this.exited;
  }
}

/** A {@link ProcessRunner} whose children are {@link FakeProcess}es; `onSpawn` scripts each one. */
export function createFakeRunner(onSpawn: (proc: FakeProcess, index: number) => void = () => undefined): ProcessRunner & { spawned: FakeProcess[] } {
  const spawned: FakeProcess[] = [];
  return {
    spawned,
    spawn(_command, args, options = {}) {
      const proc = new FakeProcess(100_000 + spawned.length, args, options);
      spawned.push(proc);
      onSpawn(proc, spawned.length - 1);
      return proc;
    },
    pids: () => spawned.filter((p) => !p.stopped && p.kills.length === 0).map((p) => p.pid),
    dispose: async () => {
      await Promise.all(spawned.map((p) => p.stop()));
    },
  };
}
