import { readdirSync, readFileSync } from 'node:fs';

/** A process below ours: its pid, its parent and its command name (`/proc/<pid>/comm`). */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  comm: string;
}

/** Whether a /proc read failed because the process ended meanwhile (it is simply gone). */
function gone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ESRCH';
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (gone(error)) return '';
    throw error;
  }
}

/** Direct children of `pid`, from `/proc/<pid>/task/<tid>/children` of each of its threads. */
export function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch (error) {
    if (gone(error)) return [];
    throw error;
  }
  const out = new Set<number>();
  for (const tid of tasks) {
    for (const child of readOrEmpty(`/proc/${pid}/task/${tid}/children`).split(' ')) if (child.trim()) out.add(Number(child));
  }
  return [...out];
}

/** The command name of a live process, or undefined when it is gone (a zombie still has one). */
export function commOf(pid: number): string | undefined {
  const comm = readOrEmpty(`/proc/${pid}/comm`).trim();
  return comm === '' ? undefined : comm;
}

/**
 * Every process below `root` in the process tree (children, their children, …), leaving out the subtrees
 * of `exclude` (e.g. the simulator's process, whose encoders are ffmpeg too). Never looks at the rest of
 * the host: only our own descendants are ever counted.
 */
export function descendantsOf(root: number, exclude: ReadonlySet<number> = new Set()): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const pid of childrenOf(parent)) {
      if (exclude.has(pid)) continue;
      const comm = commOf(pid);
      if (comm === undefined) continue;
      out.push({ pid, ppid: parent, comm });
      queue.push(pid);
    }
  }
  return out;
}

/** Whether `pid` still exists as the process named `comm` (anywhere on the host: a reparented orphan too). */
export function stillRunning(pid: number, comm: string): boolean {
  const stat = readOrEmpty(`/proc/${pid}/stat`);
  if (stat === '') return false;
  // `pid (comm) state …`: a zombie (Z) has ended and is only waiting for its parent.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && commOf(pid) === comm;
}

/** Open file descriptors of this process. */
export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}
