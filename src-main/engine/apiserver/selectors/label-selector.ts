import { badRequest } from '../status';

/** One parsed requirement of a label selector. */
export interface LabelRequirement {
  key: string;
  operator: 'exists' | 'doesNotExist' | 'equals' | 'notEquals' | 'in' | 'notin' | 'gt' | 'lt';
  values: string[];
}

/** A parsed label selector; `matches` is total (never throws). */
export interface LabelSelector {
  requirements: LabelRequirement[];
  /** True for the empty selector, which matches everything. */
  empty: boolean;
  matches(labels: Record<string, string> | undefined): boolean;
}

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'op'; text: '=' | '==' | '!=' | '!' | '(' | ')' | ',' | '>' | '<' };

const WORD_STOP = new Set([' ', '\t', '\n', '=', '!', '(', ')', ',', '>', '<']);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      i++;
      continue;
    }
    if (ch === '=' && input[i + 1] === '=') {
      tokens.push({ kind: 'op', text: '==' });
      i += 2;
      continue;
    }
    if (ch === '!' && input[i + 1] === '=') {
      tokens.push({ kind: 'op', text: '!=' });
      i += 2;
      continue;
    }
    if (ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<') {
      tokens.push({ kind: 'op', text: ch });
      i++;
      continue;
    }
    let j = i;
    while (j < input.length && !WORD_STOP.has(input[j])) j++;
    tokens.push({ kind: 'word', text: input.slice(i, j) });
    i = j;
  }
  return tokens;
}

const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function parseError(_selector: string, detail: string): Error {
  return badRequest(`unable to parse requirement: ${detail}`);
}

function checkKey(selector: string, key: string): void {
  if (!QUALIFIED_NAME.test(key) || key.length > 316) {
    throw parseError(
      selector,
      `<nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

function checkValue(selector: string, value: string): void {
  if (!LABEL_VALUE.test(value) || value.length > 63) {
    throw parseError(
      selector,
      `values[0]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

/**
 * Parses a label selector string as Kubernetes does (`a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, comma-separated = AND). Throws a 400 ApiError
 * for malformed input.
 */
export function parseLabelSelector(selector: string | undefined): LabelSelector {
  const text = (selector ?? '').trim();
  const requirements: LabelRequirement[] = [];
  if (text !== '') {
    const tokens = tokenize(text);
    let pos = 0;
    const peek = (): Token | undefined => tokens[pos];
    const next = (): Token | undefined => tokens[pos++];
    const expectWord = (what: string): string => {
      const t = next();
      if (!t || t.kind !== 'word') throw parseError(text, `found '${t?.text ?? ''}', expected: ${what}`);
      return t.text;
    };
    for (;;) {
      let t = next();
      if (!t) throw parseError(text, `found '', expected: identifier`);
      if (t.kind === 'op' && t.text === '!') {
        const key = expectWord("identifier after '!'");
        checkKey(text, key);
        requirements.push({ key, operator: 'doesNotExist', values: [] });
      } else if (t.kind === 'word') {
        const key = t.text;
        checkKey(text, key);
        const op = peek();
        if (!op || (op.kind === 'op' && op.text === ',')) {
          requirements.push({ key, operator: 'exists', values: [] });
        } else if (op.kind === 'op' && (op.text === '=' || op.text === '==' || op.text === '!=')) {
          next();
          const v = peek();
          let value = '';
          if (v && v.kind === 'word') {
            value = v.text;
            next();
          }
          checkValue(text, value);
          requirements.push({ key, operator: op.text === '!=' ? 'notEquals' : 'equals', values: [value] });
        } else if (op.kind === 'op' && (op.text === '>' || op.text === '<')) {
          next();
          const value = expectWord('integer value');
          if (!/^-?\d+$/.test(value))
            throw parseError(text, `for 'Gt', 'Lt' operators, the value must be an integer`);
          requirements.push({ key, operator: op.text === '>' ? 'gt' : 'lt', values: [value] });
        } else if (op.kind === 'word' && (op.text === 'in' || op.text === 'notin')) {
          next();
          t = next();
          if (!t || t.kind !== 'op' || t.text !== '(')
            throw parseError(text, `found '${t?.text ?? ''}', expected: '('`);
          const values: string[] = [];
          for (;;) {
            const v = next();
            if (!v) throw parseError(text, `found '', expected: ')'`);
            if (v.kind === 'op' && v.text === ')') break;
            if (v.kind === 'op' && v.text === ',') {
              // An empty element, as in "in (a,,b)", is the empty value.
              values.push('');
              continue;
            }
            if (v.kind !== 'word')
              throw parseError(text, `found '${v.text}', expected: ',', ')' or identifier`);
            checkValue(text, v.text);
            values.push(v.text);
            const sep = next();
            if (!sep) throw parseError(text, `found '', expected: ')'`);
            if (sep.kind === 'op' && sep.text === ')') break;
            if (!(sep.kind === 'op' && sep.text === ','))
              throw parseError(text, `found '${sep.text}', expected: ',' or ')'`);
          }
          if (values.length === 0)
            throw parseError(text, `for 'in', 'notin' operators, values set can't be empty`);
          requirements.push({ key, operator: op.text, values });
        } else {
          throw parseError(text, `found '${op.text}', expected: '=', '!=', '==', 'in', notin'`);
        }
      } else {
        throw parseError(text, `found '${t.text}', expected: !, identifier, or 'end of string'`);
      }
      const sep = next();
      if (!sep) break;
      if (!(sep.kind === 'op' && sep.text === ','))
        throw parseError(text, `found '${sep.text}', expected: ',' or 'end of string'`);
    }
  }
  return makeSelector(requirements);
}

function makeSelector(requirements: LabelRequirement[]): LabelSelector {
  return {
    requirements,
    empty: requirements.length === 0,
    matches: (labels) => requirements.every((r) => matchRequirement(r, labels ?? {})),
  };
}

function matchRequirement(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'exists':
      return has;
    case 'doesNotExist':
      return !has;
    case 'equals':
    case 'in':
      return has && r.values.includes(value as string);
    case 'notEquals':
    case 'notin':
      return !has || !r.values.includes(value as string);
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(value as string)) return false;
      const n = Number(value);
      const bound = Number(r.values[0]);
      return r.operator === 'gt' ? n > bound : n < bound;
    }
  }
}

/** The `metav1.LabelSelector` shape (matchLabels + matchExpressions) used in specs. */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/**
 * Builds a matcher from a `metav1.LabelSelector`. Like Kubernetes, an empty selector
 * matches everything and a missing (undefined/null) one matches nothing.
 */
export function selectorFromSpec(spec: LabelSelectorSpec | null | undefined): LabelSelector {
  if (spec === null || spec === undefined) {
    return { requirements: [], empty: false, matches: () => false };
  }
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(spec.matchLabels ?? {})) {
    requirements.push({ key, operator: 'equals', values: [value] });
  }
  for (const e of spec.matchExpressions ?? []) {
    const operator =
      e.operator === 'In'
        ? 'in'
        : e.operator === 'NotIn'
          ? 'notin'
          : e.operator === 'Exists'
            ? 'exists'
            : e.operator === 'DoesNotExist'
              ? 'doesNotExist'
              : undefined;
    if (!operator) return { requirements, empty: false, matches: () => false };
    requirements.push({ key: e.key, operator, values: e.values ?? [] });
  }
  return makeSelector(requirements);
}

/** Formats a `metav1.LabelSelector` as the string kubectl and Scale.status.selector use. */
export function formatSelectorSpec(spec: LabelSelectorSpec | null | undefined): string {
  if (!spec) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(spec.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    parts.push(`${key}=${value}`);
  }
  for (const e of spec.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}
