import { describe, expect, it } from 'vitest';
import { isWardwatchError, parseCameraSpec, type FieldProblem } from '@wardwatch/core';

const valid = {
  id: 'cam-01',
  name: 'Ngã tư Lê Lợi',
  site: { ward: 'Bến Nghé', station: 'CA Bến Nghé' },
  location: { lat: 10.77, lon: 106.7, address: '1 Lê Lợi' },
  ownership: 'household',
  driver: 'onvif',
  connection: { host: '10.0.0.5', port: 80, username: 'admin', password: 'pw' },
};

function problems(input: unknown): { message: string; problems: FieldProblem[] } {
  try {
    parseCameraSpec(input);
  } catch (error) {
    if (!isWardwatchError(error, 'INVALID_CONFIG')) throw error;
    return { message: error.message, problems: error.details.problems as FieldProblem[] };
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('parseCameraSpec', () => {
  it('accepts a valid spec and applies defaults', () => {
    const spec = parseCameraSpec(valid);
    expect(spec.recording).toEqual({ enabled: true, retentionDays: 30, stream: 'main' });
    expect(spec.analytics).toEqual({ analyzers: [], options: {} });
    expect(spec.tags).toEqual([]);
    expect(spec.enabled).toBe(true);
    expect(spec.connection.options).toEqual({});
  });

  it.each([
    ['id', { id: '' }, 'id'],
    ['id with a slash', { id: 'a/b' }, 'id'],
    ['id with ..', { id: 'a..b' }, 'id'],
    ['id too long', { id: 'a'.repeat(65) }, 'id'],
    ['blank name', { name: '   ' }, 'name'],
    ['missing ward', { site: { station: 'x' } }, 'site.ward'],
    ['empty station', { site: { ward: 'x', station: '' } }, 'site.station'],
    ['latitude out of range', { location: { lat: 91, lon: 0 } }, 'location.lat'],
    ['longitude out of range', { location: { lat: 0, lon: -181 } }, 'location.lon'],
    ['unknown ownership', { ownership: 'neighbour' }, 'ownership'],
    ['empty driver', { driver: '' }, 'driver'],
    ['empty host', { connection: { host: '' } }, 'connection.host'],
    ['port 0', { connection: { host: 'h', port: 0 } }, 'connection.port'],
    ['port too big', { connection: { host: 'h', port: 70000 } }, 'connection.port'],
    ['negative retention', { recording: { retentionDays: -1 } }, 'recording.retentionDays'],
    ['unknown stream', { recording: { stream: 'third' } }, 'recording.stream'],
    ['empty analyzer name', { analytics: { analyzers: [''] } }, 'analytics.analyzers.0'],
    ['empty tag', { tags: ['ok', ''] }, 'tags.1'],
    ['enabled not boolean', { enabled: 'yes' }, 'enabled'],
  ])('rejects %s naming the field', (_label, patch, path) => {
    const result = problems({ ...valid, ...patch });
    expect(result.problems.map((p) => p.path)).toContain(path);
    expect(result.message).toContain(`${path}:`);
  });

  it('names every bad field at once', () => {
    const result = problems({ ...valid, id: '', name: '', location: { lat: 100, lon: 200 }, ownership: 'x', connection: { host: '' } });
    const paths = result.problems.map((p) => p.path);
    for (const path of ['id', 'name', 'location.lat', 'location.lon', 'ownership', 'connection.host']) {
      expect(paths).toContain(path);
      expect(result.message).toContain(path);
    }
  });

  it('rejects a non-object as a whole', () => {
    expect(problems(42).problems[0]!.path).toBe('(root)');
    expect(problems(null).message).toMatch(/^Invalid camera spec: /);
  });

  it('never echoes the password in the error', () => {
    const result = problems({ ...valid, connection: { host: '', password: 'hunter2-secret' } });
    expect(result.message).not.toContain('hunter2-secret');
  });
});
