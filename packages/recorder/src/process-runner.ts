import { spawn, type ChildProcess } from 'node:child_process';
import { defined, silentLogger, type Logger } from '@wardwatch/core';
import { onLines } from './line-splitter.js';
import type { Readable, Writable } from 'node:stream';

/** How a managed process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last stderr lines (at most 20), for error messages. */
  stderrTail: string[];
}

/** Options for {@link ProcessRunner.spawn}. */
export interface SpawnOptions {
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Called with every stderr line. */
  onStderrLine?: (line: string) => void;
}

/** A child process owned by a {@link ProcessRunner}. */
export interface ManagedProcess {
  readonly pid: number;
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Settles when the process has exited. */
  readonly exited: Promise<ProcessExit>;
  /** Graceful stop: `q` on stdin, then SIGTERM, then SIGKILL after the grace periods; resolves on exit. */
  stop(graceMs?: number): Promise<ProcessExit>;
  /** Sends a signal to this process only (by its pid). */
  kill(signal?: NodeJS.Signals): void;
}

/** Spawns and owns child processes; they are stopped by pid and die with the Node process (watchdog). */
export interface ProcessRunner {
  spawn(command: string, args: readonly string[], options?: SpawnOptions): ManagedProcess;
  /** Pids of the children still running. */
  pids(): number[];
  /** Stops every running child gracefully and ends the watchdog. */
  dispose(graceMs?: number): Promise<void>;
}

/** Options for {@link createProcessRunner}. */
export interface ProcessRunnerOptions {
  /** Start a watchdog that kills the children by pid when this Node process dies. @default true */
  watchdog?: boolean;
  /** Grace period after `q` before SIGTERM, ms. @default 4000 */
  graceMs?: number;
  /** Told about unexpected errors of the pipes to children and the watchdog (with the child's pid). @default silentLogger */
  logger?: Logger;
}

/** {@link ProcessRunnerOptions} with every default applied. */
const RUNNER_DEFAULTS = { watchdog: true, graceMs: 4000, logger: silentLogger } satisfies Required<ProcessRunnerOptions>;

/** Errors of a child's pipes that only mean it has exited (nothing to report). */
const GONE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END', 'ESRCH']);
const isGone = (error: unknown): boolean => GONE.has(String((error as NodeJS.ErrnoException | undefined)?.code));

// The watchdog is a tiny shell reading `+pid` / `-pid` lines; on EOF (our process died) it kills what is left.
const WATCHDOG_SCRIPT = [
  "trap '' INT HUP",
  'pids=" "',
  'while IFS= read -r line; do',
  '  case "$line" in',
  '    +*) pids="$pids${line#+} " ;;',
  '    -*) p="${line#-}"; case "$pids" in *" $p "*) pids="${pids%% $p *} ${pids#* $p }" ;; esac ;;',
  '  esac',
  'done',
  'live=""',
  'for p in $pids; do kill -TERM "$p" 2>/dev/null && live="$live $p"; done',
  '[ -n "$live" ] || exit 0',
  'sleep 2',
  'for p in $live; do kill -KILL "$p" 2>/dev/null; done',
  'exit 0',
].join('\n');

/**
 * Creates a {@link ProcessRunner}: children killed by pid, guarded by a watchdog. They stay in this process's session:
 * a session of their own (`detached`) gives each child its own scheduler autogroup on Linux, which cost every
 * recording ffmpeg about 3 % more CPU and gave each one as large a CPU share as the whole Node process. So a Ctrl-C in
 * a terminal reaches them too; ffmpeg then finishes its output as it does for `q`.
 */
export function createProcessRunner(options: ProcessRunnerOptions = {}): ProcessRunner {
  const resolved: Required<ProcessRunnerOptions> = { ...RUNNER_DEFAULTS, ...defined(options) };
  const { graceMs: defaultGrace, logger } = resolved;
  const reportUnlessGone = (what: string, pid?: number) => (error: unknown): void => {
    if (!isGone(error)) logger.warn({ err: error, pid }, what);
  };
  const running = new Map<number, ManagedProcess>();
  let watchdog: ChildProcess | undefined;

  function tellWatchdog(line: string): void {
    if (!resolved.watchdog) return;
    if (!watchdog || watchdog.exitCode !== null || watchdog.signalCode !== null) {
      watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
      watchdog.on('error', reportUnlessGone('process watchdog failed'));
      watchdog.stdin?.on('error', reportUnlessGone('process watchdog pipe failed'));
      watchdog.unref();
      (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
      for (const pid of running.keys()) watchdog.stdin?.write(`+${pid}\n`);
    }
    watchdog.stdin?.write(`${line}\n`);
  }

  function spawnManaged(command: string, args: readonly string[], spawnOptions: SpawnOptions = {}): ManagedProcess {
    const child = spawn(command, [...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...spawnOptions.env },
    });
    const tail: string[] = [];
    onLines(child.stderr!, (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      spawnOptions.onStderrLine?.(line);
    });
    child.stdin!.on('error', reportUnlessGone('stdin of a child failed', child.pid));
    const exited = new Promise<ProcessExit>((resolve) => {
      let done = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (done) return;
        done = true;
        if (child.pid !== undefined) {
          running.delete(child.pid);
          tellWatchdog(`-${child.pid}`);
        }
        resolve({ code, signal, stderrTail: [...tail] });
      };
      child.on('error', (error) => {
        tail.push(String(error.message));
        finish(null, null);
      });
      child.on('close', (code, signal) => finish(code, signal));
    });
    const pid = child.pid ?? -1;
    let stopping: Promise<ProcessExit> | undefined;
    const managed: ManagedProcess = {
      pid,
      stdin: child.stdin!,
      stdout: child.stdout!,
      exited,
      kill(signal: NodeJS.Signals = 'SIGTERM') {
        if (child.exitCode === null && child.signalCode === null && pid > 0) {
          try {
            process.kill(pid, signal);
          } catch (error) {
            reportUnlessGone('a child could not be signalled', pid)(error);
          }
        }
      },
      stop(graceMs = defaultGrace) {
        stopping ??= (async () => {
          if (child.exitCode !== null || child.signalCode !== null) return exited;
          if (child.stdin!.writable) {
            child.stdin!.write('q');
            child.stdin!.end();
          }
          // the grace timers are cleared as soon as the process exits (they would keep Node alive)
          const exitedOrAfter = async (ms: number): Promise<boolean> => {
            let timer: NodeJS.Timeout | undefined;
            const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), ms)))]);
            clearTimeout(timer);
            return !timedOut;
          };
          if (await exitedOrAfter(graceMs)) return exited;
          managed.kill('SIGTERM');
          if (await exitedOrAfter(2000)) return exited;
          managed.kill('SIGKILL');
          return exited;
        })();
        return stopping;
      },
    };
    if (pid > 0) {
      running.set(pid, managed);
      tellWatchdog(`+${pid}`);
    }
    return managed;
  }

  return {
    spawn: spawnManaged,
    pids: () => [...running.keys()],
    async dispose(graceMs = defaultGrace) {
      await Promise.all([...running.values()].map((p) => p.stop(graceMs)));
      if (watchdog) {
        watchdog.stdin?.end();
        watchdog = undefined;
      }
    },
  };
}
