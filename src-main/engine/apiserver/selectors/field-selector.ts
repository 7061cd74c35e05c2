import type { KubeObject } from '../../k8s-object';
import { badRequest } from '../status';

export interface FieldRequirement {
  field: string;
  operator: 'equals' | 'notEquals';
  value: string;
}

/** A parsed field selector; `matches` is total (never throws). */
export interface FieldSelector {
  requirements: FieldRequirement[];
  empty: boolean;
  matches(obj: KubeObject): boolean;
}

/** Reads a field's value for selection; undefined counts as "". */
export type FieldGetter = (obj: KubeObject) => string | undefined;

/** The fields every kind supports. */
export const commonFieldGetters: Record<string, FieldGetter> = {
  'metadata.name': (obj) => obj.metadata?.name,
  'metadata.namespace': (obj) => obj.metadata?.namespace,
};

/** Splits on unescaped `sep`, keeping escapes for the next stage. */
function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[i + 1];
      i++;
      continue;
    }
    if (ch === sep) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/**
 * Parses a field selector (`a=b`, `a==b`, `a!=b`, comma = AND) against the fields a kind
 * supports (`metadata.name`, `metadata.namespace` and `extra`). Unknown fields and
 * malformed terms throw a 400 ApiError.
 */
export function parseFieldSelector(
  selector: string | undefined,
  extra: Record<string, FieldGetter> = {},
): FieldSelector {
  const text = (selector ?? '').trim();
  const getters: Record<string, FieldGetter> = { ...commonFieldGetters, ...extra };
  const requirements: FieldRequirement[] = [];
  if (text !== '') {
    for (const rawTerm of splitUnescaped(text, ',')) {
      const term = rawTerm.trim();
      if (term === '') continue;
      let requirement: FieldRequirement | undefined;
      const match = /^((?:[^\\=!]|\\.)*?)\s*(==|!=|=)\s*(.*)$/.exec(term);
      if (match) {
        requirement = {
          field: unescape(match[1].trim()),
          operator: match[2] === '!=' ? 'notEquals' : 'equals',
          value: unescape(match[3]),
        };
      }
      if (!requirement) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
      if (!getters[requirement.field]) {
        throw badRequest(`field label not supported: ${requirement.field}`);
      }
      requirements.push(requirement);
    }
  }
  return {
    requirements,
    empty: requirements.length === 0,
    matches: (obj) =>
      requirements.every((r) => {
        const actual = getters[r.field](obj) ?? '';
        return r.operator === 'equals' ? actual === r.value : actual !== r.value;
      }),
  };
}

/**
 * The value a field selector requires for `field` with `=`/`==`, if any — lets the
 * storage narrow a scan (e.g. `metadata.name=x` reads one key).
 */
export function requiredFieldValue(selector: FieldSelector, field: string): string | undefined {
  return selector.requirements.find((r) => r.field === field && r.operator === 'equals')?.value;
}
