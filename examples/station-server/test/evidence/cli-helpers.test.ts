import { describe, expect, it } from 'vitest';
import { parseCliTime } from '../../src/evidence/parse-cli-time.js';
import { createProgressBar } from '../../src/evidence/progress-bar.js';

describe('parseCliTime', () => {
  it('reads ISO-8601 with Z or an offset, and epoch milliseconds', () => {
    expect(parseCliTime('2026-11-20T08:00:00Z', 'from')).toBe(Date.UTC(2026, 10, 20, 8));
    expect(parseCliTime('2026-11-20 15:00+07:00', 'from')).toBe(Date.UTC(2026, 10, 20, 8));
    expect(parseCliTime('2026-11-20T15:00:00.250+0700', 'from')).toBe(Date.UTC(2026, 10, 20, 8, 0, 0, 250));
    expect(parseCliTime('1795161600000', 'to')).toBe(1_795_161_600_000);
  });

  it('refuses times without a zone and nonsense, naming the option', () => {
    expect(() => parseCliTime('2026-11-20T15:00:00', 'from')).toThrow(/--from .* not a time with a zone/);
    expect(() => parseCliTime('yesterday', 'to')).toThrow(/--to/);
    expect(() => parseCliTime('2026-13-45T99:00:00Z', 'to')).toThrow(/not a valid date/);
  });
});

describe('createProgressBar', () => {
  it('redraws one line on a terminal', () => {
    let out = '';
    const bar = createProgressBar({ write: (t: string) => (out += t) }, { tty: true, width: 10 });
    bar.update(0.5, 'cut');
    bar.update(1, 'zip');
    bar.finish();
    expect(out).toBe(`\r[#####.....]  50% ${'cut'.padEnd(16)}\r[##########] 100% ${'zip'.padEnd(16)}\n`);
  });

  it('prints a line per 10 % in logs', () => {
    let out = '';
    const bar = createProgressBar({ write: (t: string) => (out += t) }, { tty: false });
    for (const r of [0, 0.01, 0.05, 0.12, 0.13, 0.5, 0.99, 1]) bar.update(r, 'cut');
    bar.finish();
    expect(out.trim().split('\n')).toEqual(['progress 0% cut', 'progress 12% cut', 'progress 50% cut', 'progress 99% cut', 'progress 100% cut']);
  });
});
