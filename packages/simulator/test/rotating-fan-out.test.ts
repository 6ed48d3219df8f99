import { describe, expect, it } from 'vitest';
import { RotatingFanOut } from '../src/rotating-fan-out.js';

describe('RotatingFanOut', () => {
  it('gives every listener every value, starting with the next listener each time', () => {
    const fan = new RotatingFanOut<number>();
    const calls: string[] = [];
    for (const name of ['a', 'b', 'c']) fan.add((v) => calls.push(`${name}${v}`));
    for (let v = 1; v <= 4; v++) fan.emit(v);
    expect(calls).toEqual(['a1', 'b1', 'c1', 'b2', 'c2', 'a2', 'c3', 'a3', 'b3', 'a4', 'b4', 'c4']);
  });

  it('does not call a listener removed during delivery, and calls one added during delivery from the next value on', () => {
    const fan = new RotatingFanOut<number>();
    const calls: string[] = [];
    let removeC: () => void = () => undefined;
    fan.add((v) => {
      calls.push(`a${v}`);
      if (v === 1) {
        removeC();
        fan.add((w) => calls.push(`d${w}`));
      }
    });
    fan.add((v) => calls.push(`b${v}`));
    removeC = fan.add((v) => calls.push(`c${v}`));
    fan.emit(1);
    expect(calls).toEqual(['a1', 'b1']);
    expect(fan.size).toBe(3);
    calls.length = 0;
    fan.emit(2);
    expect(calls.sort()).toEqual(['a2', 'b2', 'd2']);
    fan.clear();
    fan.emit(3);
    expect(fan.size).toBe(0);
    expect(calls).toHaveLength(3);
  });
});
