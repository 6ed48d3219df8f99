import { describe, expect, it } from 'vitest';
import { normalizeVietnamesePlate, parseVietnamesePlate } from '../src/plate-parser.js';
import { VN_PLATE_PROVINCES } from '../src/vn-provinces.js';

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

// The rule groups of src/vn-plate-rules.ts, each with valid and invalid examples and where the rule is written.
describe('parseVietnamesePlate against Circulars 24/2023/TT-BCA and 58/2020/TT-BCA', () => {
  it('series letters (24/2023 Art. 37 cl. 3–5): the 20 letters A–Z without I, J, O, Q, W; R only for trailers', () => {
    for (const letter of 'ABCDEFGHKLMNPSTUVXYZ') {
      expect(parseVietnamesePlate(`30${letter}-123.45`)).toMatchObject({ plate: `30${letter}-123.45`, kind: 'car', series: letter });
    }
    expect(parseVietnamesePlate('51R-123.45')).toMatchObject({ kind: 'trailer', series: 'R' });
    for (const letter of 'IJOQW') expect(parseVietnamesePlate(`30${letter}-123.45`, { maxCorrections: 0 })).toBeUndefined();
  });

  it('registration number (24/2023 Art. 37 cl. 4): five digits 000.01–999.99 with the dot after the third, or the legacy four without a dot', () => {
    expect(parseVietnamesePlate('30A-000.01')?.number).toBe('00001');
    expect(parseVietnamesePlate('30A-1234')).toMatchObject({ plate: '30A-1234', number: '1234' });
    expect(parseVietnamesePlate('29-B1 1234')).toMatchObject({ plate: '29-B1 1234', kind: 'motorbike' });
    expect(parseVietnamesePlate('30A-000.00')).toBeUndefined();
    expect(parseVietnamesePlate('30A-0000')).toBeUndefined();
    // A dot belongs to five-digit numbers only, after the third digit.
    expect(parseVietnamesePlate('30A-123.4')).toBeUndefined();
    expect(parseVietnamesePlate('30A-12.345')).toBeUndefined();
    expect(parseVietnamesePlate('30A-1234.5')).toBeUndefined();
  });

  it('motorbike series (58/2020 Art. 25, kept by 24/2023 Art. 37): a letter and a digit 1–9, never 0', () => {
    for (const digit of '123456789') expect(parseVietnamesePlate(`29-B${digit}\n123.45`)).toMatchObject({ plate: `29-B${digit} 123.45`, kind: 'motorbike', rows: 2 });
    expect(parseVietnamesePlate('29-B0\n123.45', { maxCorrections: 0 })).toBeUndefined();
    // 0 is no series digit: the most it can be is the look-alike letter D (two-letter series), with a correction.
    expect(parseVietnamesePlate('29-B0\n123.45')?.series).not.toContain('0');
  });

  it('two-letter motorbike series since 15 August 2023 (24/2023 Art. 37 cl. 4: one of the 20 letters with one of the 20)', () => {
    expect(parseVietnamesePlate('29-HA\n002.33')).toMatchObject({ plate: '29-HA 002.33', kind: 'motorbike', series: 'HA' });
    expect(parseVietnamesePlate('51-KZ 678.90')).toMatchObject({ plate: '51-KZ 678.90', kind: 'motorbike' });
    expect(parseVietnamesePlate('29-HQ\n002.33', { maxCorrections: 0 })).toBeUndefined();
    expect(parseVietnamesePlate('29-WA\n002.33', { maxCorrections: 0 })).toBeUndefined();
  });

  it('electric motorbikes (58/2020 Art. 25): the MĐ series with a digit 1–9, also when Đ is read as D', () => {
    expect(parseVietnamesePlate('29-MĐ1 123.45')).toMatchObject({ plate: '29-MĐ1 123.45', kind: 'motorbike', series: 'MĐ1', special: 'electric' });
    expect(parseVietnamesePlate('29-MD1\n123.45')?.plate).toBe('29-MĐ1 123.45');
    expect(parseVietnamesePlate('29-MĐ0 123.45', { maxCorrections: 0 })).toBeUndefined();
  });

  it('the rows and the position of the space are layout signals (24/2023 Art. 37 cl. 2 and 4)', () => {
    // A break after a letter + digit series is the motorbike row break.
    expect(parseVietnamesePlate('29L5 9999')).toMatchObject({ plate: '29-L5 9999', kind: 'motorbike', layout: 'motorbike' });
    // The square car/trailer plate: code + series over the number is a car, not a motorbike.
    expect(parseVietnamesePlate('30A\n123.45')).toMatchObject({ plate: '30A-123.45', kind: 'car', layout: 'square', rows: 2 });
    expect(parseVietnamesePlate('51R\n123.45')).toMatchObject({ plate: '51R-123.45', kind: 'trailer', layout: 'square' });
    expect(parseVietnamesePlate('51LD\n123.45')).toMatchObject({ plate: '51LD-123.45', kind: 'car', special: 'joint-venture' });
    expect(parseVietnamesePlate('51-LD\n123.45')).toMatchObject({ plate: '51-LD 123.45', kind: 'motorbike' });
    // A layout known from the plate's shape is the only one accepted.
    expect(parseVietnamesePlate('51LD\n123.45', { layout: 'motorbike' })?.plate).toBe('51-LD 123.45');
    expect(parseVietnamesePlate('29-B1\n123.45', { layout: 'square' })).toBeUndefined();
  });

  it('refuses a dropped dot or character instead of turning it into another plate', () => {
    // The series letter is missing: not `37Z-2036` (a 2 read as Z, the dot ignored).
    expect(parseVietnamesePlate('37-220.36')).toBeUndefined();
    expect(parseVietnamesePlate('3722036')).toBeUndefined();
    // A digit dropped from a five-digit number: the dot shows it was not a legacy four-digit number.
    expect(parseVietnamesePlate('30A-123.4')).toBeUndefined();
    expect(parseVietnamesePlate('29-B1\n23.45')).toBeUndefined();
    // Separators where the layout has none.
    expect(parseVietnamesePlate('3-0A123.45')).toBeUndefined();
    // When the separators do confirm the layout, a look-alike in the series is still corrected.
    expect(parseVietnamesePlate('29-81 123.45')?.plate).toBe('29-B1 123.45');
    // A row break is no written separator: a series made only of digits over a number is refused.
    expect(parseVietnamesePlate('920\n179.90')).toBeUndefined();
    expect(parseVietnamesePlate('29-81\n123.45')).toBeUndefined();
  });

  it('special car series (24/2023 Art. 37 cl. 4–8; 58/2020 Art. 25): LD, DA, KT, MK, TĐ, HC', () => {
    expect(parseVietnamesePlate('51LD-123.45')?.special).toBe('joint-venture');
    expect(parseVietnamesePlate('29DA-123.45')?.special).toBe('project');
    expect(parseVietnamesePlate('29KT-123.45')?.special).toBe('military-enterprise');
    expect(parseVietnamesePlate('36MK-012.34')?.special).toBe('tractor');
    expect(parseVietnamesePlate('30TĐ-123.45')).toMatchObject({ plate: '30TĐ-123.45', special: 'pilot-programme' });
    expect(parseVietnamesePlate('30HC-123.45')?.special).toBe('restricted-use');
    expect(parseVietnamesePlate('30AB-123.45')).toBeUndefined();
  });

  it('foreign missions (24/2023 Art. 37 cl. 7–8): NG, QT, CV, NN with a three-digit country code', () => {
    expect(parseVietnamesePlate('80-011-NG-01')).toMatchObject({ kind: 'diplomatic', series: 'NG' });
    expect(parseVietnamesePlate('80-123-QT-05')).toMatchObject({ plate: '80-123-QT-05', kind: 'international-org' });
    expect(parseVietnamesePlate('80-011-CV-123')).toMatchObject({ kind: 'foreign', series: 'CV' });
    expect(parseVietnamesePlate('41-291-NN-12')).toMatchObject({ kind: 'foreign', series: 'NN' });
    expect(parseVietnamesePlate('80-011-NG-00')).toBeUndefined();
    expect(parseVietnamesePlate('80-01-NG-01')).toBeUndefined();
  });

  it('military plates (Ministry of National Defence): two unit letters, Q-series included, and four digits', () => {
    expect(parseVietnamesePlate('QA-12-34')).toMatchObject({ plate: 'QA-12-34', kind: 'military', series: 'QA' });
    expect(parseVietnamesePlate('QH-50-01')?.series).toBe('QH');
    expect(parseVietnamesePlate('KV-12-34')?.kind).toBe('military');
    expect(parseVietnamesePlate('QZ-12-34')).toBeUndefined();
    expect(parseVietnamesePlate('QA-00-00')).toBeUndefined();
  });

  it('temporary plates (24/2023 Art. 37 cl. 1, printed on paper): T, the code and a number', () => {
    expect(parseVietnamesePlate('T30-123.45')).toMatchObject({ plate: 'T30-123.45', kind: 'temporary', province: 'Hà Nội' });
    expect(parseVietnamesePlate('T13-123.45')).toBeUndefined();
  });

  it('province codes (24/2023 Appendix 02): every listed code parses, unlisted ones do not', () => {
    for (const code of Object.keys(VN_PLATE_PROVINCES)) expect(parseVietnamesePlate(`${code}A-123.45`)?.provinceCode).toBe(code);
    for (const code of ['10', '13', '42', '44', '45', '46', '87', '91', '96']) expect(parseVietnamesePlate(`${code}A-123.45`)).toBeUndefined();
  });
});
