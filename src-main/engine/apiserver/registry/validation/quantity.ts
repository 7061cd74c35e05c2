/**
 * Kubernetes resource quantities (`500m`, `1Gi`, `2e3`), as resource.Quantity parses them.
 * Values are returned as JavaScript numbers: exact for every quantity a workload realistically
 * uses, which is all the ordering checks (requests ≤ limits, quota sums) need.
 */

/** The message Kubernetes gives when a quantity does not parse. */
export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const binarySuffixes: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const decimalSuffixes: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** Parses a quantity string (or a number) into its value, or undefined when malformed. */
export function parseQuantity(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? input : undefined;
  if (typeof input !== 'string') return undefined;
  const match = /^([+-]?)([0-9]+\.?[0-9]*|\.[0-9]+)(.*)$/.exec(input.trim() === input ? input : '');
  if (!match) return undefined;
  const [, sign, digits, suffix] = match;
  let multiplier: number | undefined;
  if (suffix in binarySuffixes) multiplier = binarySuffixes[suffix];
  else if (suffix in decimalSuffixes) multiplier = decimalSuffixes[suffix];
  else if (/^[eE][+-]?[0-9]+$/.test(suffix)) multiplier = 10 ** Number(suffix.slice(1));
  if (multiplier === undefined) return undefined;
  const value = Number(digits) * multiplier;
  return sign === '-' ? -value : value;
}

/** True when the value parses as a quantity. */
export function isQuantity(input: unknown): boolean {
  return parseQuantity(input) !== undefined;
}

/** Compares two quantities: negative, zero or positive; malformed values count as 0. */
export function compareQuantities(a: unknown, b: unknown): number {
  return (parseQuantity(a) ?? 0) - (parseQuantity(b) ?? 0);
}
