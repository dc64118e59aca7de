import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * graphql-shield's ES module build does not load on Node 23+ (it imports util.isUndefined), and
 * its middleware only works with the matching graphql-middleware build: both come from
 * src/permissions/graphql-shield.ts. An import from the packages anywhere else would pass on
 * Node 20 and break on Node 24, so it fails here on every line.
 */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((item) =>
    item.isDirectory() ? sources(join(dir, item.name)) : item.name.endsWith('.ts') ? [join(dir, item.name)] : []);
}

describe('graphql-shield', () => {
  it('is imported only through src/permissions/graphql-shield.ts', () => {
    const offenders = [...sources('src'), ...sources('seeds'), ...sources('bench')]
      .filter((file) => file !== join('src', 'permissions', 'graphql-shield.ts'))
      .filter((file) => /from ['"]graphql-(shield|middleware)['"]|import\(['"]graphql-(shield|middleware)['"]\)/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
