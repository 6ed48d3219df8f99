import { describe, expectTypeOf, it } from 'vitest';
import {
  createStation,
  createMemoryStorage,
  definePlugin,
  isEventType,
  type Camera,
  type CameraStatus,
  type Segment,
  type StationEvent,
  type StationEventOf,
  type StationEventType,
} from '@wardwatch/core';

// A plugin adds its own event type by declaration merging.
declare module '@wardwatch/core' {
  interface StationEventMap {
    'test.crowd': { cameraId: string; count: number };
  }
}

describe('StationEvent union', () => {
  it('narrows on `type`', () => {
    const handle = (event: StationEvent): void => {
      if (event.type === 'segment.closed') {
        expectTypeOf(event.segment).toEqualTypeOf<Segment>();
        expectTypeOf(event.cameraId).toBeString();
      }
      if (event.type === 'camera.status') {
        expectTypeOf(event.status).toEqualTypeOf<CameraStatus>();
        expectTypeOf(event.previous).toEqualTypeOf<CameraStatus['state']>();
      }
      if (event.type === 'motion') {
        expectTypeOf(event.source).toEqualTypeOf<'camera' | 'analyzer'>();
        // @ts-expect-error a motion event has no plate
        void event.plate;
      }
      if (isEventType(event, 'plate')) {
        expectTypeOf(event.plate).toBeString();
        expectTypeOf(event.confidence).toBeNumber();
      }
    };
    expectTypeOf(handle).toBeFunction();
  });

  it('StationEventOf gives one member', () => {
    expectTypeOf<StationEventOf<'recording.gap'>>().toEqualTypeOf<{ type: 'recording.gap'; at: number } & { cameraId: string; from: number; to: number; cause: string }>();
    expectTypeOf<'analyzer.error'>().toExtend<StationEventType>();
  });

  it('is augmented by declaration merging', () => {
    expectTypeOf<'test.crowd'>().toExtend<StationEventType>();
    const event: StationEvent = { type: 'test.crowd', at: 1, cameraId: 'c', count: 3 };
    if (event.type === 'test.crowd') expectTypeOf(event.count).toBeNumber();
    // @ts-expect-error the payload of an augmented type is checked
    const bad: StationEvent = { type: 'test.crowd', at: 1, cameraId: 'c', count: 'many' };
    void bad;
    // @ts-expect-error unknown types are rejected
    const unknown: StationEvent = { type: 'test.unknown', at: 1 };
    void unknown;
    const station = createStation({ storage: createMemoryStorage() });
    station.emit({ type: 'test.crowd', at: 1, cameraId: 'c', count: 2 });
    definePlugin({ name: 'crowd', setup: (ctx) => ctx.registerEventType('test.crowd') });
  });

  it('camera handles are typed', () => {
    expectTypeOf<Camera['ptz']>().toEqualTypeOf<import('@wardwatch/core').PtzControl | undefined>();
    expectTypeOf<Camera['snapshot']>().returns.toEqualTypeOf<Promise<Uint8Array>>();
  });
});
