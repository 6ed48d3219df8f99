import { Subject } from 'rxjs';
import { createMemoryStorage, createStation, type StationEvent } from '@wardwatch/core';
import type { Bench, BenchFigure } from './bench-types.js';

const N = 200_000;
const CHUNK = 1000;

const motion = (i: number): StationEvent => ({ type: 'motion', at: 1_700_000_000_000 + i, cameraId: `cam-${i % 40}`, phase: i % 2 === 0 ? 'start' : 'end', source: 'analyzer', score: 0.5 });

/** Raw RxJS Subject: next() into one subscriber that keeps the events (the baseline). */
async function rawSubject(events: StationEvent[]): Promise<number> {
  const subject = new Subject<StationEvent>();
  const sink: StationEvent[] = [];
  subject.subscribe((e) => sink.push(e));
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += CHUNK) {
    for (let j = i; j < i + CHUNK && j < events.length; j++) subject.next(events[j]!);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const seconds = (performance.now() - t0) / 1000;
  if (sink.length !== events.length) throw new Error(`raw subject delivered ${sink.length}/${events.length}`);
  return events.length / seconds;
}

/** station.emit → events$ (one subscriber) → batched appendMany into the in-memory storage, until stop() has flushed. */
async function stationToStorage(events: StationEvent[]): Promise<number> {
  const storage = createMemoryStorage();
  const station = createStation({ storage });
  let delivered = 0;
  station.events$.subscribe(() => delivered++);
  await station.start();
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += CHUNK) {
    for (let j = i; j < i + CHUNK && j < events.length; j++) station.emit(events[j]!);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await station.stop(); // flushes every buffered event into storage
  const seconds = (performance.now() - t0) / 1000;
  let stored = 0;
  let after: string | undefined;
  for (;;) {
    const page = await storage.events.query({ limit: 10_000, ...(after ? { after } : {}) });
    stored += page.items.length;
    if (!page.next || page.items.length === 0) break;
    after = page.next;
  }
  await storage.close();
  if (delivered !== events.length || stored !== events.length) throw new Error(`delivered ${delivered}, stored ${stored} of ${events.length}`);
  return events.length / seconds;
}

const bench: Bench = async () => {
  const events = Array.from({ length: N }, (_, i) => motion(i));
  // warm-up
  await rawSubject(events.slice(0, 20_000));
  await stationToStorage(events.slice(0, 20_000));
  const baseline = Math.max(await rawSubject(events), await rawSubject(events));
  const value = Math.max(await stationToStorage(events), await stationToStorage(events));
  const figure: BenchFigure = {
    name: `core: station.events$ → memory storage (${N} events, persisted)`,
    value,
    unit: 'events/s',
    baseline,
    baselineName: 'raw Subject',
    target: '>= 100000 events/s',
    met: value >= 100_000,
  };
  return [figure];
};

export default bench;
