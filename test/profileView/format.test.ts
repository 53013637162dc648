/** Labels: one place writes every weight and share the view shows. */
import { describe, expect, it } from 'vitest';
import { formatShare, formatWeight, formatWeightAndShare } from '../../src/profileView/format';

describe('weights', () => {
  it('milliseconds, with two decimals below 10 ms and seconds from 1 s', () => {
    expect(formatWeight(12.34, 'ms')).toBe('12.3 ms');
    expect(formatWeight(0.4239, 'ms')).toBe('0.42 ms');
    expect(formatWeight(0, 'ms')).toBe('0.0 ms');
    expect(formatWeight(999.9, 'ms')).toBe('999.9 ms');
    expect(formatWeight(1234, 'ms')).toBe('1.23 s');
  });

  it('bytes in powers of 1024', () => {
    expect(formatWeight(512, 'bytes')).toBe('512 B');
    expect(formatWeight(4198, 'bytes')).toBe('4.1 KB');
    expect(formatWeight(5 * 1024 * 1024, 'bytes')).toBe('5.0 MB');
    expect(formatWeight(3 * 1024 ** 3, 'bytes')).toBe('3.0 GB');
  });

  it('samples as a count', () => {
    expect(formatWeight(1234, 'samples')).toBe('1,234 samples');
    expect(formatWeight(1, 'samples')).toBe('1 sample');
  });
});

describe('shares', () => {
  it('one decimal, never a misleading 0.0%', () => {
    expect(formatShare(41, 1000)).toBe('4.1%');
    expect(formatShare(1, 100000)).toBe('<0.1%');
    expect(formatShare(0, 100)).toBe('0%');
    expect(formatShare(5, 0)).toBe('0%');
    expect(formatShare(100, 100)).toBe('100.0%');
  });

  it('beside the weight, as line heat and tooltips show it', () => {
    expect(formatWeightAndShare(12.3, 300, 'ms')).toBe('12.3 ms (4.1%)');
    expect(formatWeightAndShare(4198, 102400, 'bytes')).toBe('4.1 KB (4.1%)');
  });
});
