import { describe, expect, it } from 'vitest';
import { KeySet } from '../../src/modules/imports/imports.keys.js';

describe('KeySet (keys repeated anywhere in a file)', () => {
  it('records the first row of each key and finds it again after growing many times', () => {
    const keys = new KeySet(4);
    for (let row = 1; row <= 200_000; row++) expect(keys.firstRow(`P${String(row).padStart(12, '0')}`, row)).toBeUndefined();
    expect(keys.size).toBe(200_000);
    let misses = 0;
    for (let row = 1; row <= 200_000; row += 7) {
      if (keys.firstRow(`P${String(row).padStart(12, '0')}`, 999_999) !== row) misses++;
    }
    expect(misses).toBe(0);
    expect(keys.size).toBe(200_000);
  });

  it('tells apart keys that differ only in order, case or one character', () => {
    const keys = new KeySet();
    const similar = ['H-12', 'H-21', 'h-12', 'H-13', 'H-12 ', '', 'Ｈ-12'];
    similar.forEach((key, i) => expect(keys.firstRow(key, i + 1)).toBeUndefined());
    similar.forEach((key, i) => expect(keys.firstRow(key, 100)).toBe(i + 1));
  });
});
