// The recorder as it ships: the built packages (dist) under plain `node`, in a process of its own, so the bench
// counts exactly its CPU and memory (not the bench harness's, nor tsx's loader, which alone costs about 0.08 % of a
// core while idle). Usage: node recorder-child.mjs <root> <segmentSeconds> '<cameras JSON>'
// Prints `ready` once every camera is being recorded; stops the recorder and exits when stdin closes.
import { EMPTY } from 'rxjs';
import { createMemoryStorage, parseCameraSpec, silentLogger, systemClock } from '../packages/core/dist/index.js';
import { createRecorder } from '../packages/recorder/dist/index.js';

const [root, segmentSeconds, camerasJson, ffmpegPath] = process.argv.slice(2);
const cameras = JSON.parse(camerasJson);
const recorder = createRecorder({ root, segmentSeconds: Number(segmentSeconds), ...(ffmpegPath ? { ffmpegPath } : {}) });
const storage = createMemoryStorage();
await recorder.start({ storage, clock: systemClock, logger: silentLogger, emit: () => undefined });
const subscriptions = cameras.map((c) =>
  recorder
    .record(
      parseCameraSpec({ id: c.id, name: c.id, site: { ward: 'w', station: 's' }, location: { lat: 0, lon: 0 }, ownership: 'station', driver: 'bench', connection: { host: '127.0.0.1' } }),
      { streams: { main: { uri: c.main }, sub: { uri: c.sub } }, events$: EMPTY, snapshot: () => Promise.reject(new Error('none')), probe: async () => ({ ok: true, latencyMs: 0 }), close: async () => undefined },
    )
    .subscribe((signal) => {
      if (signal.type === 'segment') void storage.segments.add(signal.segment);
    }),
);
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', async () => {
  for (const s of subscriptions) s.unsubscribe();
  await recorder.stop();
  process.exit(0);
});
