/**
 * The JSON spellings Go's encoders give apimachinery's time and duration types, so a decoded
 * protobuf body reads exactly like the JSON body the same client would have sent.
 */

function pad(value: number | bigint, width: number): string {
  return String(value).padStart(width, '0');
}

function utcParts(seconds: bigint): string {
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) throw new RangeError(`time ${seconds}s is out of range`);
  const year = date.getUTCFullYear();
  return (
    `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`
  );
}

/** metav1.Time: RFC 3339 in UTC with whole seconds, e.g. `2024-01-02T03:04:05Z`. */
export function formatTime(seconds: bigint): string {
  return `${utcParts(seconds)}Z`;
}

/** metav1.MicroTime: RFC 3339 in UTC with microseconds, e.g. `2024-01-02T03:04:05.123456Z`. */
export function formatMicroTime(seconds: bigint, nanos: number): string {
  return `${utcParts(seconds)}.${pad(Math.floor(nanos / 1000), 6)}Z`;
}

function fraction(value: bigint, digits: number): string {
  const text = pad(value, digits).replace(/0+$/, '');
  return text ? `.${text}` : '';
}

/** metav1.Duration: Go's `time.Duration.String()`, e.g. `1h2m3.5s`, `1.5ms`, `0s`. */
export function formatDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const sign = nanoseconds < 0n ? '-' : '';
  const u = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${u / 1_000n}${fraction(u % 1_000n, 3)}µs`;
  if (u < 1_000_000_000n) return `${sign}${u / 1_000_000n}${fraction(u % 1_000_000n, 6)}ms`;
  const totalSeconds = u / 1_000_000_000n;
  let text = `${totalSeconds % 60n}${fraction(u % 1_000_000_000n, 9)}s`;
  const totalMinutes = totalSeconds / 60n;
  if (totalMinutes > 0n) {
    text = `${totalMinutes % 60n}m${text}`;
    const hours = totalMinutes / 60n;
    if (hours > 0n) text = `${hours}h${text}`;
  }
  return sign + text;
}
