import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../src/lib/errors.js';
import { decodeCursor, encodeCursor, pageSize, toConnection } from '../../src/lib/pagination.js';

describe('pageSize', () => {
  it('defaults to 50 and accepts 0..500', () => {
    expect(pageSize(undefined)).toBe(50);
    expect(pageSize(null)).toBe(50);
    expect(pageSize(0)).toBe(0);
    expect(pageSize(500)).toBe(500);
  });
  it.each([501, -1, 1.5])('refuses %d with the value in the message', (n) => {
    expect(() => pageSize(n)).toThrow(BadUserInputError);
    expect(() => pageSize(n)).toThrow(`first must be between 0 and 500, got ${n}`);
  });
});

describe('cursors', () => {
  it('round-trip and stay opaque', () => {
    const cursor = encodeCursor('persons', 'P0001');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('persons', cursor)).toBe('P0001');
    expect(decodeCursor('persons', null)).toBeNull();
  });
  it.each([
    ['another list', encodeCursor('households', 'H1')],
    ['padding', `${encodeCursor('persons', 'P1')}=`],
    ['an extra field', Buffer.from(JSON.stringify({ v: 1, l: 'persons', k: 'P1', x: 1 })).toString('base64url')],
    ['a number key', Buffer.from(JSON.stringify({ v: 1, l: 'persons', k: 1 })).toString('base64url')],
    ['an overlong key', encodeCursor('persons', 'P'.repeat(65))],
    ['garbage', 'zzzz'],
    ['too long', 'a'.repeat(1000)],
  ])('refuse %s', (_label, cursor) => {
    expect(() => decodeCursor('persons', cursor)).toThrow('after is not a cursor of this list (persons)');
  });
});

describe('toConnection', () => {
  it('uses the extra row only for hasNextPage and counts lazily, once', async () => {
    let counted = 0;
    const connection = toConnection('persons', [{ id: 'a' }, { id: 'b' }, { id: 'c' }], 2, (r) => r.id, async () => ++counted);
    expect(connection.edges.map((e) => e.node.id)).toEqual(['a', 'b']);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor('persons', 'b') });
    expect(counted).toBe(0);
    expect(await connection.totalCount).toBe(1);
    expect(await connection.totalCount).toBe(1);
  });
});
