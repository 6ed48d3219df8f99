import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { type PlateReader, createPlateReader } from '../src/plate-reader.js';
import { renderPng, renderRaw } from './ffmpeg.js';
import { bikePlateGraph, carPlateGraph, signGraph } from './plates.js';

let reader: PlateReader;

beforeAll(async () => {
  reader = await createPlateReader();
});

describe('plate reader (PaddleOCR on onnxruntime-node)', () => {
  it.each([
    ['30A-123.45', '30A-123.45', 'Hà Nội'],
    ['51F-678.90', '51F-678.90', 'TP. Hồ Chí Minh'],
    ['43A-1234', '43A-1234', 'Đà Nẵng'],
  ])('reads the one-row car plate %s from a PNG', async (text, plate, province) => {
    const reads = await reader.read(await renderPng(carPlateGraph(text)));
    expect(reads.map((r) => r.plate)).toEqual([plate]);
    const read = reads[0]!;
    expect(read.parsed.kind).toBe('car');
    expect(read.parsed.province).toBe(province);
    expect(read.confidence).toBeGreaterThan(0.8);
    // The plate box is at x 140..340, y 110..158 of 480×270.
    expect(read.box.x).toBeGreaterThan(0.25);
    expect(read.box.x).toBeLessThan(0.35);
    expect(read.box.y).toBeGreaterThan(0.35);
    expect(read.box.y + read.box.height).toBeLessThan(0.62);
    const crop = await sharp(read.cropJpeg!).metadata();
    expect(crop.format).toBe('jpeg');
    expect(crop.width).toBeGreaterThan(150);
    expect(crop.width).toBeLessThan(300);
  });

  it.each([
    ['29-B1', '123.45', '29-B1 123.45'],
    ['29-HA', '002.33', '29-HA 002.33'],
  ])('reads the two-row motorbike plate %s %s', async (top, bottom, plate) => {
    const reads = await reader.read(await renderPng(bikePlateGraph(top, bottom)));
    expect(reads.map((r) => r.plate)).toEqual([plate]);
    expect(reads[0]!.parsed.kind).toBe('motorbike');
    expect(reads[0]!.raw).toContain('\n');
  });

  it('reads a plate from a raw rgb frame', async () => {
    const [data] = await renderRaw(carPlateGraph('36A-555.77'), 480, 270, 1, 'rgb');
    const reads = await reader.read({ cameraId: 'c', at: 1, width: 480, height: 270, format: 'rgb', data: data! });
    expect(reads.map((r) => r.plate)).toEqual(['36A-555.77']);
    expect(reads[0]!.parsed.province).toBe('Thanh Hóa');
  });

  it('searches only a region of interest when given one, keeping boxes relative to the whole image', async () => {
    const png = await renderPng(carPlateGraph('30A-123.45'));
    const inside = await reader.read(png, { roi: { x: 0.2, y: 0.3, width: 0.6, height: 0.4 } });
    expect(inside.map((r) => r.plate)).toEqual(['30A-123.45']);
    expect(inside[0]!.box.x).toBeGreaterThan(0.25);
    expect(inside[0]!.box.x).toBeLessThan(0.35);
    expect(await reader.read(png, { roi: { x: 0, y: 0.7, width: 1, height: 0.3 } })).toEqual([]);
  });

  it('rejects text that is not a plate (a shop sign)', async () => {
    const png = await renderPng(signGraph('PHO BO 35000'));
    const lines = await reader.lines(png);
    expect(lines.map((l) => l.text.replace(/\s/g, '')).join('')).toMatch(/PH[O0]BO/);
    expect(await reader.read(png)).toEqual([]);
  });

  it('rejects a corrupt image with IMAGE_DECODE_FAILED and a malformed frame with ANALYZER_BAD_FRAME', async () => {
    await expect(reader.read(new Uint8Array([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]))).rejects.toMatchObject({ code: 'IMAGE_DECODE_FAILED' });
    await expect(reader.read({ cameraId: 'c', at: 1, width: 10, height: 10, format: 'rgb', data: new Uint8Array(5) })).rejects.toMatchObject({
      code: 'ANALYZER_BAD_FRAME',
    });
  });

  it('releases its models on close, after which reads fail with INVALID_STATE', async () => {
    const own = await createPlateReader();
    const png = await renderPng(carPlateGraph('30A-123.45'));
    const reading = own.read(png);
    await own.close();
    expect((await reading).map((r) => r.plate)).toEqual(['30A-123.45']);
    await expect(own.read(png)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await own.close();
  });

  it('fails with MODEL_NOT_FOUND when a model file is missing or is not a model', async () => {
    const missing = { detectionPath: '/nonexistent/det.onnx', recognitionPath: '/nonexistent/rec.onnx', dictionaryPath: '/nonexistent/keys.txt' };
    await expect(createPlateReader({ models: missing })).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    const garbage = join(tmpdir(), `ww-not-a-model-${process.pid}.onnx`);
    writeFileSync(garbage, 'not an onnx model');
    await expect(createPlateReader({ models: { detectionPath: garbage, recognitionPath: garbage, dictionaryPath: garbage } })).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
    });
  });
});
