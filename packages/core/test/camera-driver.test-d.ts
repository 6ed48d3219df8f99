import { describe, expectTypeOf, it } from 'vitest';
import type { DiscoveredCamera, DriverEvent } from '@wardwatch/core';

describe('CameraDriver contract types', () => {
  it('lets a non-ONVIF driver discover a camera without xaddrs or scopes', () => {
    expectTypeOf<{ driver: 'rtsp-dvr'; host: string; port: number; name: string }>().toExtend<DiscoveredCamera>();
  });

  it('expresses a line crossing with direction and object class, and a relay output', () => {
    expectTypeOf<{ type: 'analytics'; kind: 'line-cross'; phase: 'start'; at: number; rule: string; direction: string; objectClass: string; region: string }>().toExtend<DriverEvent>();
    expectTypeOf<{ type: 'io'; input: string; kind: 'output'; active: boolean; at: number }>().toExtend<DriverEvent>();
  });
});
