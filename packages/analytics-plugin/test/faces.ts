import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

const require = createRequire(import.meta.url);
/** The `assets/` folder shipped in the `@vladmandic/human` npm package (real photos and screenshots). */
export const HUMAN_ASSETS = join(dirname(require.resolve('@vladmandic/human')), '..', 'assets');

type Crop = { file: string; left: number; top: number; width: number; height: number };

/**
 * Real face photos cut from the screenshots shipped in `@vladmandic/human/assets`:
 * - `personA`: the large "selected face" of `screenshot-facematch.jpg`;
 * - `personAOther`: the same man in a different photo (2nd face of the extracted-faces grid);
 * - `personB`: a different man (the face in `screenshot-faceid.jpg`);
 * - `personC`: a woman (2nd photo of the top row of `samples.jpg`).
 */
export const FACE_CROPS: Record<'personA' | 'personAOther' | 'personB' | 'personC', Crop> = {
  personA: { file: 'screenshot-facematch.jpg', left: 0, top: 20, width: 165, height: 150 },
  personAOther: { file: 'screenshot-facematch.jpg', left: 108, top: 282, width: 108, height: 100 },
  personB: { file: 'screenshot-faceid.jpg', left: 14, top: 140, width: 140, height: 142 },
  personC: { file: 'samples.jpg', left: 165, top: 0, width: 155, height: 160 },
};

/** A PNG of one crop. */
export async function facePng(name: keyof typeof FACE_CROPS): Promise<Uint8Array> {
  const c = FACE_CROPS[name];
  return new Uint8Array(await sharp(join(HUMAN_ASSETS, c.file)).extract({ left: c.left, top: c.top, width: c.width, height: c.height }).png().toBuffer());
}

/** A 640×360 rgb frame with the crop pasted at (x, y) on a grey street background. */
export async function faceFrame(name: keyof typeof FACE_CROPS, cameraId: string, at: number, x = 260, y = 100): Promise<{ cameraId: string; at: number; width: number; height: number; format: 'rgb'; data: Uint8Array }> {
  const png = await facePng(name);
  const data = await sharp({ create: { width: 640, height: 360, channels: 3, background: { r: 80, g: 88, b: 96 } } })
    .composite([{ input: Buffer.from(png), left: x, top: y }])
    .removeAlpha()
    .raw()
    .toBuffer();
  return { cameraId, at, width: 640, height: 360, format: 'rgb', data: new Uint8Array(data) };
}
