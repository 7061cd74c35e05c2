import { isPlainObject } from '../../k8s-object';

/**
 * Formats a decoded JSON value the way Go's `%v` prints `map[string]interface{}` values, so
 * error messages quoting a patch fragment read like Kubernetes' (`map[$patch:delete name:a]`).
 */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `map[${keys.map((k) => `${k}:${goFormat(value[k])}`).join(' ')}]`;
  }
  if (typeof value === 'number') return goFloat(value);
  return String(value);
}

/** Go's `%v` of a float64 (strconv 'g', shortest): exponent form below 1e-4 and from 1e6 up. */
function goFloat(n: number): string {
  if (n === 0) return '0';
  const [mantissa, exp] = n.toExponential().split('e');
  const e = Number(exp);
  if (e < -4 || e >= 6) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(n);
}
