import { EMPTY } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage, createStation, definePlugin, isWardwatchError, type Analyzer, type WardwatchError } from '@wardwatch/core';
import { createFakeCameraDriver } from '@wardwatch/core/testing';

const analyzer = (name: string): Analyzer => ({ name, analyze: () => EMPTY });

function catchError(fn: () => unknown): WardwatchError {
  try {
    fn();
  } catch (error) {
    if (isWardwatchError(error)) return error;
    throw error;
  }
  throw new Error('expected a WardwatchError');
}

describe('plugins', () => {
  it('register drivers, analyzers and event types through setup', () => {
    const driver = createFakeCameraDriver({ id: 'acme' });
    const plugin = definePlugin({
      name: 'acme',
      setup(ctx) {
        ctx.registerDriver(driver);
        ctx.registerAnalyzer(analyzer('crowd'));
        ctx.registerEventType('camera.added');
        expect(typeof ctx.clock.now()).toBe('number');
      },
    });
    const station = createStation({ storage: createMemoryStorage(), plugins: [plugin] });
    expect(station.drivers.get('acme')).toBe(driver);
    expect([...station.analyzers.keys()]).toEqual(['crowd']);
    expect([...station.eventTypes]).toEqual(['camera.added']);
  });

  it('a missing requirement is PLUGIN_MISSING_REQUIREMENT at registration, naming what is missing', () => {
    const needsOnvif = definePlugin({ name: 'ptz-tour', requires: ['onvif', 'analytics'], setup: () => undefined });
    const onvif = definePlugin({ name: 'onvif', setup: () => undefined });
    const error = catchError(() => createStation({ storage: createMemoryStorage(), plugins: [onvif, needsOnvif] }));
    expect(error.code).toBe('PLUGIN_MISSING_REQUIREMENT');
    expect(error.message).toContain('"analytics"');
    expect(error.message).not.toContain('"onvif"');
    expect(error.details).toEqual({ plugin: 'ptz-tour', missing: ['analytics'] });
    // order matters: the requirement must be registered first
    const reversed = catchError(() => createStation({ storage: createMemoryStorage(), plugins: [needsOnvif, onvif] }));
    expect(reversed.code).toBe('PLUGIN_MISSING_REQUIREMENT');
    const ok = createStation({ storage: createMemoryStorage(), plugins: [onvif, definePlugin({ name: 'analytics', setup: () => undefined }), needsOnvif] });
    expect(ok.running).toBe(false);
  });

  it('duplicate plugin names, driver ids, analyzer names and event types are PLUGIN_DUPLICATE', () => {
    const storage = createMemoryStorage();
    const p = (name: string, setup: Parameters<typeof definePlugin>[0]['setup'] = () => undefined) => definePlugin({ name, setup });
    expect(catchError(() => createStation({ storage, plugins: [p('a'), p('a')] })).message).toMatch(/Plugin "a" is already registered/);
    expect(
      catchError(() => createStation({ storage, drivers: [createFakeCameraDriver()], plugins: [p('b', (ctx) => ctx.registerDriver(createFakeCameraDriver()))] })).message,
    ).toMatch(/Driver "fake" \(from plugin "b"\)/);
    expect(catchError(() => createStation({ storage, drivers: [createFakeCameraDriver(), createFakeCameraDriver()] })).code).toBe('PLUGIN_DUPLICATE');
    expect(catchError(() => createStation({ storage, analyzers: [analyzer('motion')], plugins: [p('c', (ctx) => ctx.registerAnalyzer(analyzer('motion')))] })).code).toBe('PLUGIN_DUPLICATE');
    expect(
      catchError(() =>
        createStation({
          storage,
          plugins: [
            p('d', (ctx) => {
              ctx.registerAnalyzer(analyzer('x'));
              ctx.registerAnalyzer(analyzer('x'));
            }),
          ],
        }),
      ).code,
    ).toBe('PLUGIN_DUPLICATE');
    expect(catchError(() => createStation({ storage, plugins: [p('e', (ctx) => ctx.registerEventType('camera.removed')), p('f', (ctx) => ctx.registerEventType('camera.removed'))] })).code).toBe(
      'PLUGIN_DUPLICATE',
    );
  });

  it('a setup registering the same analyzer twice fails with PLUGIN_DUPLICATE', () => {
    const storage = createMemoryStorage();
    const error = catchError(() =>
      createStation({
        storage,
        plugins: [
          definePlugin({
            name: 'half',
            setup(ctx) {
              ctx.registerAnalyzer(analyzer('one'));
              ctx.registerAnalyzer(analyzer('one'));
            },
          }),
        ],
      }),
    );
    expect(error.code).toBe('PLUGIN_DUPLICATE');
  });

  it('teardowns run once on stop, in reverse order, and a failing teardown is reported', async () => {
    const order: string[] = [];
    const station = createStation({
      storage: createMemoryStorage(),
      plugins: [
        definePlugin({ name: 'first', setup: () => () => void order.push('first') }),
        definePlugin({
          name: 'second',
          requires: ['first'],
          setup: () => async () => {
            order.push('second');
            throw new Error('teardown boom');
          },
        }),
      ],
    });
    await station.start();
    const error = await station.stop().catch((e: unknown) => e);
    expect(order).toEqual(['second', 'first']);
    expect(isWardwatchError(error, 'INTERNAL')).toBe(true);
    expect((error as Error).message).toContain('teardown boom');
    await station.stop();
    expect(order).toEqual(['second', 'first']);
  });

  it('rejects malformed plugins and drivers with INVALID_CONFIG', () => {
    const storage = createMemoryStorage();
    expect(catchError(() => createStation({ storage, plugins: [{ name: '', setup: () => undefined }] })).code).toBe('INVALID_CONFIG');
    expect(catchError(() => createStation({ storage, drivers: [{ id: 'x' } as never] })).code).toBe('INVALID_CONFIG');
    expect(catchError(() => createStation({ storage: undefined as never })).code).toBe('INVALID_CONFIG');
  });
});
