/** Indices of the lines whose text contains `query` (case-insensitive); none for an empty query. */
export function findMatches(texts: readonly string[], count: number, query: string): number[] {
  if (!query) return [];
  const needle = query.toLowerCase();
  const found: number[] = [];
  for (let i = 0; i < count; i++) if (texts[i].toLowerCase().includes(needle)) found.push(i);
  return found;
}

/** `text` cut into plain and matching parts, for highlighting (case-insensitive). */
export function splitByQuery(text: string, query: string): Array<{ text: string; match: boolean }> {
  if (!query) return [{ text, match: false }];
  const lower = text.toLowerCase();
  const needle = query.toLowerCase();
  const parts: Array<{ text: string; match: boolean }> = [];
  let at = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
    if (i > at) parts.push({ text: text.slice(at, i), match: false });
    parts.push({ text: text.slice(i, i + needle.length), match: true });
    at = i + needle.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}

/** The match to go to from `current` in `direction`, wrapping around. */
export function stepMatch(matches: readonly number[], current: number, direction: 1 | -1): number {
  if (matches.length === 0) return -1;
  return (current + direction + matches.length) % matches.length;
}

const PALETTE = ['#5b8cff', '#3fb97f', '#e0a43a', '#c678dd', '#5bb4e0', '#ef5d5d', '#d19a66', '#56b6c2'];

/** A stable colour per pod name. */
export function podColor(pod: string): string {
  let hash = 0;
  for (let i = 0; i < pod.length; i++) hash = (hash * 31 + pod.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}
