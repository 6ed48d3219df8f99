import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The summaries are kept (pretty-printed) where test artifacts go, for the figures of the last run. */
const artifacts = join(repoRoot, 'test-artifacts');

interface SoakSummary {
  cameras: number;
  ffmpeg: { expected: number; end: number; afterStop: number; distinctPids: number };
  segments: { closed: number; expected: number; ratio: number; perCamera: Record<string, number> };
  gaps: { total: number; byCause: Record<string, number> };
  faults: {
    injected: number;
    recovered: number;
    byKind: Record<string, { injected: number; recovered: number }>;
    unrecovered: unknown[];
    list: Array<{ kind: string; camera: string; restoredAt: number | null; recoveredAt: number | null }>;
  };
  fds: { afterWarmup: number; end: number };
  orphans: { afterStop: unknown[]; afterSimulatorStop: unknown[]; ffmpegStillRunning: number[] };
}

/** Runs `pnpm soak`'s script (the same command line) and returns its stdout lines and exit code. */
function runSoak(args: string[], out: string): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  mkdirSync(artifacts, { recursive: true });
  args = [...args, '--out', join(artifacts, out)];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/soak.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Bounded: the soak stops itself after --minutes; this only guards against a hang.
    const guard = setTimeout(() => child.kill('SIGKILL'), 330_000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, lines: stdout.trim().split('\n'), stderr });
    });
  });
}

describe('pnpm soak (3 minutes, 4 cameras)', () => {
  it('records through seeded faults: every fault recovers, segments keep coming, nothing is left running after stop', async () => {
    const { code, lines, stderr } = await runSoak(['--cameras', '4', '--minutes', '3', '--segment-seconds', '4', '--fault-every-s', '10', '--seed', '26'], 'soak-3min.json');
    expect(code, stderr).toBe(0);
    // One line a minute, then the JSON summary.
    expect(lines.filter((l) => /^\[\s*\d+ min\]/.test(l))).toHaveLength(3);
    const summary = JSON.parse(lines.at(-1) as string) as SoakSummary;
    const context = JSON.stringify({ faults: summary.faults.list, segments: summary.segments, gaps: summary.gaps });

    // Kinds come in shuffled rounds, so a few faults already cover most of them.
    expect(summary.faults.injected, context).toBeGreaterThanOrEqual(5);
    expect(Object.keys(summary.faults.byKind).length, context).toBeGreaterThanOrEqual(5);
    expect(summary.faults.unrecovered, context).toEqual([]);
    for (const fault of summary.faults.list) expect(fault.recoveredAt, context).toBeGreaterThanOrEqual(fault.restoredAt as number);

    // Every camera recorded, and the station as a whole most of what a faultless run would have.
    expect(Object.keys(summary.segments.perCamera).sort()).toEqual(['soak-00', 'soak-01', 'soak-02', 'soak-03']);
    expect(summary.segments.ratio, context).toBeGreaterThanOrEqual(0.6);

    expect(summary.ffmpeg.end).toBe(4);
    expect(summary.ffmpeg.afterStop).toBe(0);
    expect(summary.orphans).toEqual({ afterStop: [], afterSimulatorStop: [], ffmpegStillRunning: [] });
  }, 340_000);
});

interface FlapSummary {
  flapping: {
    cycles: number;
    failed: number;
    fds: { before: number; after: number };
    ffmpeg: { before: number; after: number };
    rssMb: { before: number; after: number; ratio: number };
  };
  ffmpeg: { afterStop: number };
  orphans: { afterStop: unknown[]; afterSimulatorStop: unknown[]; ffmpegStillRunning: number[] };
}

describe('pnpm soak --flap-cycles (issue 26 item 3, scaled down: 48 cycles × 4 cameras instead of 1,000 × 16)', () => {
  it('after many drop/reconnect cycles: the same descriptors, one ffmpeg per camera, RSS within 10 %', async () => {
    const { code, lines, stderr } = await runSoak(['--cameras', '4', '--minutes', '3', '--segment-seconds', '4', '--flap-cycles', '48', '--seed', '3'], 'soak-flapping.json');
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(lines.at(-1) as string) as FlapSummary;
    const { flapping } = summary;
    const context = JSON.stringify(flapping);
    expect(flapping.cycles, context).toBe(48);
    expect(flapping.failed, context).toBe(0);
    expect(flapping.fds.after, context).toBe(flapping.fds.before);
    expect(flapping.ffmpeg, context).toEqual({ before: 4, after: 4 });
    expect(flapping.rssMb.ratio, context).toBeLessThanOrEqual(1.1);
    expect(summary.ffmpeg.afterStop).toBe(0);
    expect(summary.orphans).toEqual({ afterStop: [], afterSimulatorStop: [], ffmpegStillRunning: [] });
  }, 340_000);
});
