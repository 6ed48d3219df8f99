import { describe, expect, it } from 'vitest';
import { compactPlate, isWardwatchError, parsePlatePattern, reversePlate } from '@wardwatch/core';

const ruleOf = (pattern: string): unknown => {
  try {
    parsePlatePattern(pattern);
  } catch (error) {
    if (isWardwatchError(error, 'PLATE_PATTERN_INVALID')) return { rule: error.details.rule, position: error.details.position, message: error.message };
    throw error;
  }
  return 'accepted';
};

describe('plate patterns', () => {
  it('compacts plates: layout and case do not matter, Đ is a letter', () => {
    expect(compactPlate('29a-123.45')).toBe('29A12345');
    expect(compactPlate('29-MĐ1 234.56')).toBe('29MĐ123456');
    expect(compactPlate('29-mđ1 234.56')).toBe('29MĐ123456');
    expect(reversePlate('29A12345')).toBe('54321A92');
  });

  it('? is exactly one character, * any run (also none), anchored at both ends', () => {
    const p = parsePlatePattern('29A-1??.45');
    expect({ compact: p.compact, exact: p.exact, prefix: p.prefix, suffix: p.suffix }).toEqual({ compact: '29A1??45', exact: false, prefix: '29A1', suffix: '45' });
    expect(p.test('29A12345')).toBe(true);
    expect(p.test('29A1245')).toBe(false);
    expect(p.test('29A123456')).toBe(false);
    const star = parsePlatePattern('*123.45');
    expect({ prefix: star.prefix, suffix: star.suffix }).toEqual({ prefix: '', suffix: '12345' });
    expect(star.test('12345')).toBe(true);
    expect(star.test('29A12345')).toBe(true);
    expect(star.test('29A123456')).toBe(false);
    const exact = parsePlatePattern('29a 123.45');
    expect(exact.exact).toBe(true);
    expect(exact.test('29A12345')).toBe(true);
  });

  it('names the broken rule and where', () => {
    expect(ruleOf('')).toMatchObject({ rule: 'empty' });
    expect(ruleOf('- .')).toMatchObject({ rule: 'empty' });
    expect(ruleOf('29A/123.45')).toMatchObject({ rule: 'character', position: 3 });
    expect(ruleOf('29A-1**.45')).toMatchObject({ rule: 'adjacent-stars', position: 6 });
    expect(ruleOf('*45')).toMatchObject({ rule: 'too-few-known' });
    expect(ruleOf('??????????')).toMatchObject({ rule: 'too-few-known' });
    expect(ruleOf('29A-123.45.67.890')).toMatchObject({ rule: 'too-long' });
    expect(ruleOf('*123*')).toBe('accepted');
    expect(ruleOf('MĐ1-234')).toBe('accepted');
  });
});
