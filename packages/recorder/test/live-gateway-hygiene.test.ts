import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLiveGateway } from '../src/index.js';

const fixture = join(import.meta.dirname, 'fixtures/gateway-child.ts');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
// The child resolves `@wardwatch/core` to its source through the root tsconfig's paths (as vitest's aliases do), so the
// test needs no build; tsx would otherwise look for a tsconfig in the child's (temporary) working directory.
const tsconfig = join(import.meta.dirname, '../../../tsconfig.json');

describe('live gateway embedding hygiene', () => {
  it('leaves stdout, the cwd and the process signal handlers alone (fresh process)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ww-nms-cwd-'));
    try {
      const child = spawn(process.execPath, ['--import', tsx, fixture], {
        cwd,
        env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      const line = stderr.split('\n').find((l) => l.startsWith('RESULT '));
      expect(line, stderr).toBeDefined();
      const result = JSON.parse(line!.slice(7)) as Record<'before' | 'during' | 'after', Record<string, number>> & { ports: { rtmpPort: number } };
      expect(code).toBe(0);
      expect(result.ports.rtmpPort).toBeGreaterThan(0);
      expect(result.during).toEqual(result.before);
      expect(result.after).toEqual(result.before);
      expect(stdout).toBe(''); // no NMS banner or log lines
      expect(readdirSync(cwd)).toEqual([]); // no ./data (or anything else) in the working directory
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('adds no signal listeners in this process either and routes NMS log lines to the given logger', async () => {
    const signals = () => [process.listeners('SIGINT'), process.listeners('SIGTERM')].map((l) => [...l]);
    const before = signals();
    const lines: string[] = [];
    const logger = {
      debug: (_o: object, m?: string) => lines.push(m ?? ''),
      info: (_o: object, m?: string) => lines.push(m ?? ''),
      warn: (_o: object, m?: string) => lines.push(m ?? ''),
      error: (_o: object, m?: string) => lines.push(m ?? ''),
      child: () => logger,
    };
    const gateway = createLiveGateway({ logger });
    await gateway.start();
    expect(signals()).toEqual(before);
    await gateway.stop();
    expect(signals()).toEqual(before);
    expect(lines.some((l) => /Node-Media-Server v4/.test(l))).toBe(true);
  });
});
