import { InvalidArgumentError } from 'commander';

/** Parses `--nodes`: a whole number from 1 to 20. */
export function parseNodeCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > 20) {
    throw new InvalidArgumentError(`"${value}" is not a node count: use a whole number from 1 to 20.`);
  }
  return n;
}

/** Parses `--cpus`: a positive number of cores, fractions allowed (e.g. 1.5). */
export function parseCpus(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1024) {
    throw new InvalidArgumentError(`"${value}" is not a CPU count: use a positive number such as 2 or 1.5.`);
  }
  return n;
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  m: 1,
  mb: 1,
  mi: 1,
  mib: 1,
  g: 1024,
  gb: 1024,
  gi: 1024,
  gib: 1024,
};

/** Parses `--memory`: MiB as a plain number, or with a unit (`2048`, `2048mb`, `4g`, `4GiB`); at least 128 MiB. */
export function parseMemoryMiB(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  const factor = match ? MEMORY_UNITS[match[2].toLowerCase()] : undefined;
  const mib = match && factor !== undefined ? Math.round(Number(match[1]) * factor) : NaN;
  if (!Number.isFinite(mib) || mib < 128) {
    throw new InvalidArgumentError(
      `"${value}" is not a memory size: use MiB (e.g. 2048) or a unit (e.g. 4g), at least 128 MiB.`,
    );
  }
  return mib;
}

/** Parses `-o/--output` of list-like commands. */
export function parseOutputFormat(value: string): 'text' | 'json' {
  if (value === 'json' || value === 'text') return value;
  throw new InvalidArgumentError(`"${value}" is not an output format: use json or text.`);
}

/** Parses a timeout in seconds (positive number). */
export function parseSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`"${value}" is not a duration: use a number of seconds such as 120.`);
  }
  return n;
}
