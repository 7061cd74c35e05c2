/**
 * The exclusive upper bound of the key range that holds exactly the keys starting with `prefix`,
 * in SQLite's BINARY (UTF-8 byte, i.e. code point) order; undefined when the range is unbounded
 * (empty prefix, or a prefix ending in the highest code point).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = Array.from(prefix);
  while (codePoints.length > 0) {
    const last = codePoints.pop() as string;
    const cp = last.codePointAt(0) as number;
    if (cp === 0x10ffff) continue;
    // U+D800–U+DFFF are not characters; the next code point after U+D7FF in UTF-8 order is U+E000.
    const next = cp === 0xd7ff ? 0xe000 : cp + 1;
    return codePoints.join('') + String.fromCodePoint(next);
  }
  return undefined;
}
