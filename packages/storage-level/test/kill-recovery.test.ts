import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INCIDENT_STATUSES } from '@wardwatch/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createLevelStorage } from '../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const writer = fileURLToPath(new URL('./fixtures/kill-writer.ts', import.meta.url));

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

interface Acks {
  segments: number[];
  events: string[];
  audit: Array<{ seq: number; hash: string }>;
  incidents: Map<string, string>;
}

/** Runs the writer child until it has acknowledged `target` segments, then SIGKILLs it by pid. */
function runAndKill(path: string, target: number): Promise<Acks> {
  const acks: Acks = { segments: [], events: [], audit: [], incidents: new Map() };
  return new Promise((resolve, reject) => {
    // node itself runs the TS source through tsx's loader, so the pid we kill is the writer's own.
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TSX_TSCONFIG_PATH: join(repoRoot, 'tsconfig.json') } });
    let stderr = '';
    let buffer = '';
    let killed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer did not reach ${target} acks in time; stderr: ${stderr}`));
    }, 50_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        // Lines printed after SIGKILL was sent were still acknowledged before the kill took effect.
        const [kind, a, b] = line.split(' ');
        if (kind === 'seg') acks.segments.push(Number(a));
        else if (kind === 'event') acks.events.push(a as string);
        else if (kind === 'audit') acks.audit.push({ seq: Number(a), hash: b as string });
        else if (kind === 'incident') acks.incidents.set(a as string, b as string);
      }
      if (!killed && acks.segments.length >= target) {
        killed = true;
        process.kill(child.pid as number, 'SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${String(code)} ${String(signal)}: ${stderr}`));
      else resolve(acks);
    });
  });
}

describe('SIGKILL of a writing process', () => {
  it('reopens, keeps every acknowledged write and the audit chain verifies', async () => {
    const path = await mkdtemp(join(tmpdir(), 'ww-level-kill-'));
    dirs.push(path);
    const acks = await runAndKill(path, 300);
    expect(acks.segments.length).toBeGreaterThanOrEqual(300);

    const storage = await createLevelStorage({ path });
    try {
      const stored = await storage.segments.query('cam-a', { from: 0, to: Number.MAX_SAFE_INTEGER });
      const starts = new Set(stored.map((s) => s.start));
      const lost = acks.segments.filter((s) => !starts.has(s));
      expect(lost).toEqual([]);
      // Writes in flight at the kill may or may not have landed, but nothing beyond them exists.
      expect(stored.length).toBeLessThanOrEqual(acks.segments.length + 5);

      const events = new Set<string>();
      let after: string | undefined;
      for (let page = 0; page < 100; page++) {
        const result = await storage.events.query({ limit: 1000, ...(after === undefined ? {} : { after }) });
        for (const e of result.items) events.add(e.id);
        if (!result.next) break;
        after = result.next;
      }
      expect(acks.events.filter((id) => !events.has(id))).toEqual([]);

      const verification = await storage.audit.verify();
      expect(verification.ok).toBe(true);
      const lastAck = acks.audit.reduce((max, a) => (a.seq > max.seq ? a : max));
      expect(verification.entries).toBeGreaterThanOrEqual(lastAck.seq);
      const [entry] = await storage.audit.list({ fromSeq: lastAck.seq, limit: 1 });
      expect(entry?.hash).toBe(lastAck.hash);

      // Incident indexes are consistent with the records after the kill.
      for (const status of INCIDENT_STATUSES) {
        const page = await storage.incidents.query({ status, limit: 100 });
        for (const incident of page.items) expect(incident.status).toBe(status);
      }
      const all = (await storage.incidents.query({ limit: 100 })).items;
      const indexed = (await Promise.all(INCIDENT_STATUSES.map((status) => storage.incidents.query({ status, limit: 100 })))).flatMap((p) => p.items.map((i) => i.id));
      expect(indexed.sort()).toEqual(all.map((i) => i.id).sort());

      // The reopened storage keeps working: the chain and the event ids continue.
      const next = await storage.audit.append({ at: Date.now(), actor: 'test', action: 'after-kill' });
      expect(next.seq).toBe(verification.entries + 1);
      expect((await storage.audit.verify()).ok).toBe(true);
      const event = await storage.events.append({ type: 'motion', at: Date.UTC(2030, 0, 1), cameraId: 'cam-a', phase: 'end', source: 'camera' });
      expect(events.has(event.id)).toBe(false);
    } finally {
      await storage.close();
    }
  });
});
