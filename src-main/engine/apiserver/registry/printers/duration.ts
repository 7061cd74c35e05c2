/**
 * Kubernetes' human-readable durations (k8s.io/apimachinery/pkg/util/duration), as printed
 * in AGE columns and "(5m ago)" suffixes.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's int(d.Seconds()): truncation toward zero. */
function whole(ms: number, unit: number): number {
  return Math.trunc(ms / unit);
}

/**
 * HumanDuration: ~2–3 significant figures (`45s`, `5m30s`, `3h20m`, `2d3h`, `400d`, `3y20d`).
 * Durations below −1s print `<invalid>`; small negative skew prints `0s`.
 */
export function humanDuration(ms: number): string {
  const seconds = whole(ms, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = whole(ms, MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = whole(ms, HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const years = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** ShortHumanDuration: one unit only (`45s`, `5m`, `3h`, `12d`, `2y`). */
export function shortHumanDuration(ms: number): string {
  const seconds = whole(ms, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = whole(ms, MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = whole(ms, HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

function toMillis(timestamp: unknown): number | undefined {
  if (timestamp instanceof Date) return Number.isNaN(timestamp.getTime()) ? undefined : timestamp.getTime();
  if (typeof timestamp === 'string' && timestamp !== '') {
    const ms = Date.parse(timestamp);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/**
 * translateTimestampSince: the age of a timestamp (RFC 3339 string or Date) relative to
 * `now`, or `<unknown>` when it is missing.
 */
export function translateTimestampSince(timestamp: unknown, now: Date): string {
  const ms = toMillis(timestamp);
  if (ms === undefined) return '<unknown>';
  return humanDuration(now.getTime() - ms);
}

/** translateTimestampUntil: time left until a timestamp, or `<unknown>`. */
export function translateTimestampUntil(timestamp: unknown, now: Date): string {
  const ms = toMillis(timestamp);
  if (ms === undefined) return '<unknown>';
  return humanDuration(ms - now.getTime());
}

/** Milliseconds since epoch of an RFC 3339 string or Date, or undefined. */
export function timestampMillis(timestamp: unknown): number | undefined {
  return toMillis(timestamp);
}
