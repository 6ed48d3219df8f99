import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ERROR_CODES, type ErrorCode } from '@wardwatch/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_STATUS, httpStatusOf } from '../src/server/http-error.js';
import { Client } from './http-client.js';
import { startServerHarness, type ServerHarness } from './server-harness.js';

/** Log lines the server wrote, parsed. */
const lines: Array<{ level: number; msg: string; status?: number; code?: string }> = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
    done();
  },
});
const ERROR_LEVEL = 50;

let h: ServerHarness;
let webRoot: string;
beforeAll(async () => {
  webRoot = mkdtempSync(join(tmpdir(), 'ww-web-'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>dashboard</title>');
  h = await startServerHarness({ webRoot, logger: { level: 'info', stream: sink } });
});
afterAll(async () => {
  await h?.stop();
  rmSync(webRoot, { recursive: true, force: true });
});

describe('HTTP status of every error', () => {
  it('maps every code of the catalogue (the map is total; INTERNAL alone is an unexpected 500)', () => {
    const codes = Object.keys(ERROR_CODES) as ErrorCode[];
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...codes].sort());
    for (const code of codes) expect(httpStatusOf(code)).toBeGreaterThanOrEqual(400);
    expect(httpStatusOf('PAYLOAD_TOO_LARGE')).toBe(413);
    expect(httpStatusOf('UNSUPPORTED_MEDIA_TYPE')).toBe(415);
    expect(httpStatusOf('FFMPEG_FAILED')).toBe(502);
  });

  it('answers a 2 MB body with 413 PAYLOAD_TOO_LARGE, not 500, and does not log it as an error', async () => {
    const admin = await h.login('admin');
    lines.length = 0;
    const r = await admin.request('POST', '/api/incidents', { title: 'x'.repeat(2 * 1024 * 1024), category: 'theft', occurredAt: 1 });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(lines.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
    expect(lines.some((l) => l.msg === 'request refused' && l.status === 413)).toBe(true);
  });

  it('answers static path tricks with 403/404 in the API error format, not 500, and does not log them as errors', async () => {
    lines.length = 0;
    const anon = new Client(h.url);
    for (const path of ['/..%2f..%2fetc%2fpasswd', '/..%5c..%5cetc%5cpasswd', '/%2e%2e%2f']) {
      const r = await anon.get(path);
      expect({ path, status: r.status }).toEqual({ path, status: 403 });
      expect(r.json.error.code).toBe('FORBIDDEN');
    }
    const bad = await anon.get('/a%');
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID_ARGUMENT');
    expect((await anon.get('/api/no-such-route')).json.error.code).toBe('NOT_FOUND');
    expect(lines.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
  });
});
