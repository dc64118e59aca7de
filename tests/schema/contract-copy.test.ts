import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * docs/contract/ is the contract as a user's clone carries it; the shared original sits beside
 * the repository (../shared/contract/) only in the workspace it is maintained in. Wherever the
 * original exists, the copy must equal it, file by file.
 */
const COPY = new URL('../../docs/contract/', import.meta.url);
const SHARED = new URL('../../../shared/contract/', import.meta.url);

describe('docs/contract', () => {
  it('holds the contract: CONTRACT.md and core.graphql', () => {
    expect(readdirSync(COPY).sort()).toEqual(['CONTRACT.md', 'core.graphql']);
  });

  it.skipIf(!existsSync(SHARED))('equals ../shared/contract/ file by file', () => {
    expect(readdirSync(COPY).sort()).toEqual(readdirSync(SHARED).sort());
    for (const file of readdirSync(SHARED)) {
      expect(readFileSync(new URL(file, COPY), 'utf8'), `docs/contract/${file} differs from ../shared/contract/${file}: copy it again`).toBe(
        readFileSync(new URL(file, SHARED), 'utf8'),
      );
    }
  });
});
