import { request } from 'node:http';
import { parseCameraSpec, type DriverEvent } from '@wardwatch/core';
import { createOnvifDriver } from '@wardwatch/onvif-driver';
import { startSimulator } from '@wardwatch/simulator';
import type { Bench, BenchFigure } from './bench-types.js';

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/** A bare HTTP POST of GetSystemDateAndTime (no auth, no parsing): the floor for a probe. */
function rawProbe(url: string): Promise<number> {
  const body =
    '<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>';
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/soap+xml', 'Content-Length': Buffer.byteLength(body), Connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - started));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const bench: Bench = async () => {
  const sim = await startSimulator({
    cameras: [{ id: 'bench-cam', main: { width: 320, height: 180, fps: 5, gop: 10 }, sub: { width: 160, height: 90, fps: 5, gop: 10 } }],
  });
  const figures: BenchFigure[] = [];
  try {
    const cam = sim.camera('bench-cam');
    const spec = parseCameraSpec({
      id: cam.id,
      name: cam.name,
      site: { ward: 'W', station: 'S' },
      location: { lat: 21, lon: 105 },
      ownership: 'station',
      driver: 'onvif',
      connection: { host: cam.host, port: cam.onvifPort, username: cam.username, password: cam.password },
    });
    const driver = createOnvifDriver({ events: { pullTimeoutMs: 2000 } });

    const connects: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const s = await driver.connect(spec);
      connects.push(performance.now() - t0);
      await s.close();
    }
    figures.push({ name: 'onvif-driver: connect (clock, capabilities, device info, profiles, 2 stream URIs, snapshot URI), median', value: quantile(connects, 0.5), unit: 'ms' });

    const session = await driver.connect(spec);
    const raw: number[] = [];
    const probes: number[] = [];
    for (let i = 0; i < 100; i++) {
      raw.push(await rawProbe(cam.onvifUrl));
      const result = await session.probe();
      if (!result.ok) throw new Error(`probe failed: ${result.cause}`);
      probes.push(result.latencyMs);
    }
    figures.push({ name: 'onvif-driver: probe() latency p50', value: quantile(probes, 0.5), unit: 'ms', baseline: quantile(raw, 0.5), baselineName: 'bare HTTP POST' });
    figures.push({ name: 'onvif-driver: probe() latency p95', value: quantile(probes, 0.95), unit: 'ms', baseline: quantile(raw, 0.95), baselineName: 'bare HTTP POST' });

    const latencies: number[] = [];
    let waiter: ((e: DriverEvent) => void) | undefined;
    const sub = session.events$.subscribe((e) => waiter?.(e));
    const deadline = Date.now() + 10_000;
    while (cam.events.subscriptions.size === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const arrived = new Promise<number>((resolve) => {
        waiter = (e) => {
          if (e.type === 'motion' && e.phase === 'start') resolve(performance.now() - started);
        };
      });
      cam.triggerMotion(300);
      latencies.push(await Promise.race([arrived, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('no motion event')), 10_000))]));
      await new Promise((r) => setTimeout(r, 600));
    }
    sub.unsubscribe();
    figures.push({ name: 'onvif-driver: camera motion → DriverEvent latency (pull point), median', value: quantile(latencies, 0.5), unit: 'ms' });
    await session.close();
  } finally {
    await sim.stop();
  }
  return figures;
};

export default bench;
