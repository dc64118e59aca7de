/**
 * The natural keys a file has given so far, with the first row of each: an open-addressing
 * hash table of 64-bit key hashes in typed arrays (12 bytes a slot, at most half full: about
 * 24 bytes per distinct key, 24 MB for a million rows), so a key repeated anywhere in the file,
 * in the same chunk or thousands of rows later, is found without asking the database.
 *
 * Two keys with the same 64-bit hash would be taken as one: for a file of n keys the chance
 * is about n² / 2^65 (3·10^-8 for a million keys).
 */
export class KeySet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** First row of the key in this slot; 0 = empty (rows are 1-based). */
  private rows: Int32Array;
  private count = 0;

  constructor(capacity = 1 << 14) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.rows = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** The row that first gave `key`; when none did, records `row` as that row and returns undefined. */
  firstRow(key: string, row: number): number | undefined {
    // FNV-1a and a multiplicative variant with another seed: two independent 32-bit halves.
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 >>>= 0;
    h2 >>>= 0;
    const found = this.probe(h1, h2);
    if (this.rows[found] !== 0) return this.rows[found];
    this.hi[found] = h1;
    this.lo[found] = h2;
    this.rows[found] = row;
    if (++this.count * 2 > this.rows.length) this.grow();
    return undefined;
  }

  private probe(h1: number, h2: number): number {
    const mask = this.rows.length - 1;
    let at = (h1 ^ Math.imul(h2, 0x27d4eb2d)) & mask;
    while (this.rows[at] !== 0 && (this.hi[at] !== h1 || this.lo[at] !== h2)) at = (at + 1) & mask;
    return at;
  }

  private grow() {
    const { hi, lo, rows } = this;
    this.hi = new Uint32Array(rows.length * 2);
    this.lo = new Uint32Array(rows.length * 2);
    this.rows = new Int32Array(rows.length * 2);
    for (let i = 0; i < rows.length; i++) {
      if (rows[i] === 0) continue;
      const at = this.probe(hi[i], lo[i]);
      this.hi[at] = hi[i];
      this.lo[at] = lo[i];
      this.rows[at] = rows[i];
    }
  }
}
