/**
 * Serialisations metrics-server uses: CPU as a nano-scaled quantity ("12345n"), memory as a
 * binary-SI quantity ("2048Ki", or plain bytes when not a multiple of 1024), windows as Go
 * durations ("10.5s", "1m5s").
 */

/** CPU cores (as nanocores) in Kubernetes quantity form, e.g. "1500000n". */
export function formatNanoCores(nanoCores: number): string {
  return `${Math.max(0, Math.round(nanoCores))}n`;
}

/** Bytes in Kubernetes binary-SI quantity form, e.g. "65536Ki" or "1000". */
export function formatBytes(bytes: number): string {
  const whole = Math.max(0, Math.round(bytes));
  if (whole === 0) return '0';
  return whole % 1024 === 0 ? `${whole / 1024}Ki` : String(whole);
}

/** Milliseconds as Go's time.Duration prints them ("0s", "950ms", "10.5s", "2m3.25s"). */
export function formatGoDuration(milliseconds: number): string {
  const ms = Math.max(0, Math.round(milliseconds));
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const secondsText = `${Number(seconds.toFixed(3))}s`;
  if (hours) return `${hours}h${minutes}m${secondsText}`;
  if (minutes) return `${minutes}m${secondsText}`;
  return secondsText;
}
