import { describe, expect, it } from 'vitest';
import { normalizeVietnamesePlate, parseVietnamesePlate } from '../src/plate-parser.js';

describe('parseVietnamesePlate', () => {
  it.each([
    // [input, normalised, kind, province]
    ['30A-123.45', '30A-123.45', 'car', 'Hà Nội'],
    ['30a 12345', '30A-123.45', 'car', 'Hà Nội'],
    ['51F-987.65', '51F-987.65', 'car', 'TP. Hồ Chí Minh'],
    ['43A-1234', '43A-1234', 'car', 'Đà Nẵng'],
    ['30A1234', '30A-1234', 'car', 'Hà Nội'],
    ['51LD-123.45', '51LD-123.45', 'car', 'TP. Hồ Chí Minh'],
    ['29-B1 123.45', '29-B1 123.45', 'motorbike', 'Hà Nội'],
    ['29-B1\n123.45', '29-B1 123.45', 'motorbike', 'Hà Nội'],
    ['29-B1 | 1234', '29-B1 1234', 'motorbike', 'Hà Nội'],
    ['29-HA 002.33', '29-HA 002.33', 'motorbike', 'Hà Nội'],
    ['29-HA\n002.33', '29-HA 002.33', 'motorbike', 'Hà Nội'],
    ['59-X3 456.78', '59-X3 456.78', 'motorbike', 'TP. Hồ Chí Minh'],
    ['80-011-NG-01', '80-011-NG-01', 'diplomatic', 'Cơ quan Trung ương'],
    ['41-291-NN-12', '41-291-NN-12', 'foreign', 'TP. Hồ Chí Minh'],
    ['TM-12-34', 'TM-12-34', 'military', undefined],
    ['đ30A-123.45'.slice(1), '30A-123.45', 'car', 'Hà Nội'],
  ])('%j → %s', (input, plate, kind, province) => {
    const parsed = parseVietnamesePlate(input);
    expect(parsed?.plate).toBe(plate);
    expect(parsed?.kind).toBe(kind);
    expect(parsed?.province).toBe(province);
  });

  it.each([
    ['3OA-I23.45', '30A-123.45', 2], // O→0, I→1
    ['30A-123.4S', '30A-123.45', 1], // S→5
    ['29-81 123.45', '29-B1 123.45', 1], // 8→B in the series
  ])('corrects look-alikes %j → %s', (input, plate, corrections) => {
    const parsed = parseVietnamesePlate(input);
    expect(parsed?.plate).toBe(plate);
    expect(parsed?.corrections).toBe(corrections);
  });

  it.each([
    ['', 'empty'],
    ['HELLO WORLD', 'words'],
    ['13A-123.45', 'unused province code 13'],
    ['00A-123.45', 'province code 00'],
    ['96A-123.45', 'unused province code 96'],
    ['30A-000.00', 'all-zero number'],
    ['30A-12', 'too short'],
    ['30A-1234567', 'too long'],
    ['30ZZ-123.45', 'two-letter car series that does not exist'],
    ['30I-123.45', 'series letter I is never issued'.replace('I', 'I')],
    ['ZZ-12-34', 'unknown military series'],
    ['80-011-XY-01', 'unknown mission series'],
    ['OOO-OOO.OO', 'too many corrections'],
    ['29-B1\n12', 'second row too short'],
    ['a\nb\nc', 'three rows'],
    ['30A-123.45'.repeat(8), 'over-long text'],
  ])('rejects %j (%s)', (input) => {
    expect(parseVietnamesePlate(input)).toBeUndefined();
    expect(normalizeVietnamesePlate(input)).toBeUndefined();
  });

  it('honours an explicit two-row layout', () => {
    expect(parseVietnamesePlate('29B112345', { rows: 2 })?.plate).toBe('29-B1 123.45');
    expect(parseVietnamesePlate('29B11234')?.plate).toBe('29B-112.34');
    expect(parseVietnamesePlate('29B11234', { rows: 2 })?.plate).toBe('29-B1 1234');
  });

  it('labels special series', () => {
    expect(parseVietnamesePlate('51LD-123.45')?.special).toBe('joint-venture');
    expect(parseVietnamesePlate('30A-123.45')?.special).toBeUndefined();
  });
});
