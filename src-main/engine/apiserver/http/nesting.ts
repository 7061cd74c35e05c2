import { CST, Lexer } from 'yaml';

/**
 * How deeply a request body may nest. Real manifests stay far below it (a deep CRD schema is
 * some tens of levels); far deeper documents only exhaust the stack of the recursive code
 * that handles objects, and the YAML parser can abort the whole process on them.
 */
export const MAX_BODY_NESTING = 256;

/** The deepest nesting of arrays and objects in JSON text, stopping early past `limit`. */
export function jsonNesting(text: string, limit = MAX_BODY_NESTING): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth--;
    }
  }
  return deepest;
}

const BLOCK_INDICATORS = new Set(['seq-item-ind', 'explicit-key-ind', 'map-value-ind']);

/**
 * An upper bound of the nesting of YAML text, from its tokens (the lexer is iterative, so any
 * input is safe): flow brackets, plus per line the indentation and the block indicators on it.
 * Stops early past `limit`.
 */
export function yamlNesting(text: string, limit = MAX_BODY_NESTING): number {
  let flow = 0;
  let line = 0;
  let lineStart = true;
  let deepest = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === 'newline') {
      line = 0;
      lineStart = true;
      continue;
    }
    if (type === 'space' && lineStart) line += token.length;
    else if (type === 'flow-seq-start' || type === 'flow-map-start') flow++;
    else if ((type === 'flow-seq-end' || type === 'flow-map-end') && flow > 0) flow--;
    else if (type && BLOCK_INDICATORS.has(type)) line++;
    if (type !== 'space') lineStart = false;
    deepest = Math.max(deepest, flow + line);
    if (deepest > limit) return deepest;
  }
  return deepest;
}
