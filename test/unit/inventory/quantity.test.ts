// Kubernetes quantities as bytes: binary and decimal suffixes, exponents, fractions rounded up.
import { describe, expect, it } from 'vitest';
import { quantityBytes } from '../../../activities/inventory/quantity.js';

describe('quantityBytes', () => {
  it.each([
    ['5Gi', 5 * 2 ** 30],
    ['500Mi', 500 * 2 ** 20],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1Ti', 2 ** 40],
    ['10G', 10e9],
    ['100k', 100e3],
    ['1e9', 1e9],
    ['2E3', 2000],
    ['1234', 1234],
    ['1500m', 2],
    [' 1Gi ', 2 ** 30],
  ])('%s is %d bytes', (q, bytes) => {
    expect(quantityBytes(q)).toBe(bytes);
  });

  it.each([['Gi'], ['five'], ['5 Gi'], ['5GB'], ['-']])('%s is no quantity', (q) => {
    expect(quantityBytes(q)).toBeUndefined();
  });

  it('treats a missing request as unknown', () => {
    expect(quantityBytes(undefined)).toBeUndefined();
  });
});
