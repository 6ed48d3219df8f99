import { startSimulator } from '@wardwatch/simulator';
const sim = await startSimulator({ cameras: [{ id: 'cam-a', rtspAuth: 'none', main: { width: 320, height: 180, fps: 10, gop: 10, bitrateKbps: 300 } }] });
console.log(sim.camera('cam-a').rtspUrl.main);
await new Promise((r) => setTimeout(r, 90000));
await sim.stop();
