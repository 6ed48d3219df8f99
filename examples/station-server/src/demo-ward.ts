import type { CameraSpecInput, Ownership } from '@wardwatch/core';
import type { SimCameraOptions, StreetVehicle } from '@wardwatch/simulator';

/** The demo ward's centre (a ward of central Hà Nội). */
export const WARD_CENTRE = { lat: 21.0285, lon: 105.8542 } as const;

/** The demo household that owns `cam-05` (the demo `household` viewer sees only it). */
export const DEMO_HOUSEHOLD = 'household-12-hang-bac';

interface DemoCamera {
  id: string;
  name: string;
  ownership: Ownership;
  owner?: string;
  dLat: number;
  dLon: number;
  address: string;
  scene: 'static' | 'street';
  ptz?: boolean;
}

const CAMERAS: DemoCamera[] = [
  { id: 'cam-01', name: 'Cổng chợ', ownership: 'station', dLat: 0.0012, dLon: -0.0008, address: 'Cổng chợ Đồng Xuân', scene: 'street', ptz: true },
  { id: 'cam-02', name: 'Ngã tư Hàng Đào', ownership: 'station', dLat: 0.0004, dLon: 0.0002, address: 'Ngã tư Hàng Đào – Hàng Ngang', scene: 'street' },
  { id: 'cam-03', name: 'Trụ sở công an', ownership: 'station', dLat: 0, dLon: 0, address: 'Trụ sở công an phường', scene: 'static', ptz: true },
  { id: 'cam-04', name: 'Ngõ Gạch', ownership: 'household', owner: 'household-ngo-gach', dLat: -0.0006, dLon: -0.0011, address: 'Số 5 ngõ Gạch', scene: 'static' },
  { id: 'cam-05', name: 'Nhà số 12 Hàng Bạc', ownership: 'household', owner: DEMO_HOUSEHOLD, dLat: -0.0013, dLon: 0.0009, address: 'Số 12 Hàng Bạc', scene: 'static' },
  { id: 'cam-06', name: 'Cửa hàng vàng Hàng Bạc', ownership: 'business', owner: 'business-vang-bac', dLat: -0.001, dLon: 0.0016, address: 'Số 40 Hàng Bạc', scene: 'street' },
  { id: 'cam-07', name: 'Khách sạn Phố Cổ', ownership: 'business', owner: 'business-ks-pho-co', dLat: 0.0016, dLon: 0.0014, address: 'Số 8 Hàng Buồm', scene: 'static' },
  { id: 'cam-08', name: 'Nhà trọ Hàng Chiếu', ownership: 'boarding-house', owner: 'boarding-hang-chieu', dLat: 0.0019, dLon: 0.0021, address: 'Số 31 Hàng Chiếu', scene: 'static' },
];

/** Simulator cameras of the demo ward (low resolution so 8 encoders fit on a small machine). */
export function demoSimCameras(count = CAMERAS.length): SimCameraOptions[] {
  return CAMERAS.slice(0, count).map((c) => ({
    id: c.id,
    name: c.name,
    scene: c.scene,
    ptz: c.ptz ?? false,
    main: { width: 640, height: 360, fps: 10, gop: 10, bitrateKbps: 600 },
    sub: { width: 320, height: 180, fps: 5, gop: 10, bitrateKbps: 150 },
    location: { lat: WARD_CENTRE.lat + c.dLat, lon: WARD_CENTRE.lon + c.dLon, address: c.address },
  }));
}

/** Vehicles driving past the street cameras, repeating, so plates and motion show up in the demo. */
export function demoStreets(cameraIds: readonly string[]): StreetVehicle[] {
  const all: StreetVehicle[] = [
    { plate: '29A-123.45', route: ['cam-01', 'cam-02', 'cam-06'], startAfterMs: 5000, legMs: 5000, repeatEveryMs: 60_000 },
    { plate: '30F-678.90', route: ['cam-06', 'cam-02', 'cam-01'], startAfterMs: 35_000, legMs: 5000, repeatEveryMs: 60_000 },
  ];
  return all
    .map((v) => ({ ...v, route: v.route.filter((id) => cameraIds.includes(id)) }))
    .filter((v) => v.route.length > 0);
}

/** Camera specs of the demo ward pointing at the simulator's ONVIF ports. */
export function demoCameraSpecs(
  sim: ReadonlyArray<{ id: string; host: string; onvifPort: number; username: string; password: string }>,
  site: { ward: string; station: string },
  options: { plates?: boolean } = {},
): CameraSpecInput[] {
  return sim.map((s) => {
    const c = CAMERAS.find((x) => x.id === s.id)!;
    return {
      id: c.id,
      name: c.name,
      site,
      location: { lat: WARD_CENTRE.lat + c.dLat, lon: WARD_CENTRE.lon + c.dLon, address: c.address },
      ownership: c.ownership,
      ...(c.owner ? { owner: c.owner } : {}),
      driver: 'onvif',
      connection: { host: s.host, port: s.onvifPort, username: s.username, password: s.password, options: {} },
      recording: { enabled: true, retentionDays: 7, stream: 'main' },
      analytics: { analyzers: ['motion', 'tamper', ...(options.plates && c.scene === 'street' ? ['plates'] : [])], options: {} },
      tags: [c.scene],
    };
  });
}
