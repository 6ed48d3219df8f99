import { createHash } from 'node:crypto';
const hashes = Array.from({ length: 997 }, (_, i) => createHash('sha256').update(String(i)).digest('hex'));
const segs = Array.from({ length: 200000 }, (_, i) => ({ cameraId: 'cam-001', start: 1767225600000 + i * 60000, end: 1767225600000 + i * 60000 + 60000, bytes: 30000000 + (i % 1000) * 1000, codec: 'h264', path: `cam-001/${new Date(1767225600000 + i * 60000).toISOString().slice(0, 16)}.mp4`, sha256: hashes[i % 997] as string }));
const v1 = (s: any) => `[${s.end - s.start},${s.bytes},${JSON.stringify(s.codec)},${JSON.stringify(s.path)},"${s.sha256}"]`;
const v2 = (s: any) => `${(s.end - s.start).toString(36)},${s.bytes.toString(36)},${s.codec.length.toString(36)},${Buffer.from(s.sha256, 'hex').toString('base64url')}${s.codec}${s.path}`;
const T: string[] = [];
for (let i = 0; i < 4096; i++) T.push('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[i >> 6]! + 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[i & 63]!);
const hex = (c: number) => (c <= 57 ? c - 48 : c - 87);
function sha64(h: string): string { let out = ''; for (let i = 0; i < 63; i += 3) out += T[(hex(h.charCodeAt(i)) << 8) | (hex(h.charCodeAt(i + 1)) << 4) | hex(h.charCodeAt(i + 2))]; return out + h[63]; }
const v3 = (s: any) => `${(s.end - s.start).toString(36)},${s.bytes.toString(36)},${s.codec.length.toString(36)},${sha64(s.sha256)}${s.codec}${s.path}`;
const v4 = (s: any) => `${s.end - s.start},${s.bytes},${s.codec.length},${s.sha256}${s.codec}${s.path}`;
for (const [n, f] of [['v1', v1], ['v2', v2], ['v3', v3], ['v4', v4], ['v1', v1], ['v2', v2], ['v3', v3], ['v4', v4]] as const) {
  let len = 0; const t = process.cpuUsage();
  for (let r = 0; r < 5; r++) for (const s of segs) { const v = f(s); len += Buffer.byteLength(v); }
  const u = process.cpuUsage(t); console.log(n, ((u.user + u.system) / 1e6 / 1e6) * 1e9 / 1e6 * 1e6 / 1e6 , 'ns/rec', ((u.user + u.system) * 1000) / 1e6, len / 1e6, v3(segs[5]), v3(segs[5]).length);
}
