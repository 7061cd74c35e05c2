import { CronExpressionParser } from 'cron-parser';

/** Fire times of a CronJob schedule: the latest at or before a moment, and the next after it. */
export interface Schedule {
  /** The most recent fire time ≤ `at`, or undefined when there is none after `since`. */
  mostRecent(since: Date, at: Date): Date | undefined;
  next(after: Date): Date;
  /** How many fire times fall in (since, at], counting no further than `cap`. */
  countBetween(since: Date, at: Date, cap: number): number;
}

function countWith(next: (after: Date) => Date, since: Date, at: Date, cap: number): number {
  let count = 0;
  for (let t = next(since); t.getTime() <= at.getTime() && count < cap; t = next(t)) count++;
  return count;
}

const DESCRIPTOR_ALIASES: Record<string, string> = {
  '@midnight': '0 0 * * *',
  '@daily': '0 0 * * *',
  '@hourly': '0 * * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

const GO_DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

function parseGoDuration(text: string): number {
  let total = 0;
  for (const match of text.matchAll(GO_DURATION_PART)) total += Number(match[1]) * UNIT_MS[match[2]];
  return total;
}

/**
 * Parses a CronJob schedule (five fields, the `@hourly`-style descriptors, or `@every
 * <duration>` as robfig/cron allows) in the given IANA time zone (UTC by default).
 */
export function parseSchedule(schedule: string, timeZone?: string): Schedule {
  const trimmed = schedule.trim();
  if (trimmed.startsWith('@every ')) {
    // robfig/cron rounds @every to whole seconds, at least one.
    const period = Math.max(1000, Math.floor(parseGoDuration(trimmed.slice(7)) / 1000) * 1000);
    return {
      mostRecent(since, at) {
        const steps = Math.floor((at.getTime() - since.getTime()) / period);
        return steps >= 1 ? new Date(since.getTime() + steps * period) : undefined;
      },
      next: (after) => new Date(after.getTime() + period),
      countBetween: (since, at, cap) =>
        Math.min(cap, Math.max(0, Math.floor((at.getTime() - since.getTime()) / period))),
    };
  }
  const expression = DESCRIPTOR_ALIASES[trimmed.toLowerCase()] ?? trimmed;
  const tz = timeZone || 'UTC';
  // Validate once so a bad schedule fails fast (the API validated it already).
  CronExpressionParser.parse(expression, { tz });
  return {
    mostRecent(since, at) {
      const previous = CronExpressionParser.parse(expression, { currentDate: new Date(at.getTime() + 1), tz })
        .prev()
        .toDate();
      return previous.getTime() > since.getTime() ? previous : undefined;
    },
    next: (after) => CronExpressionParser.parse(expression, { currentDate: after, tz }).next().toDate(),
    countBetween(since, at, cap) {
      const iterator = CronExpressionParser.parse(expression, { currentDate: since, tz });
      return countWith(() => iterator.next().toDate(), since, at, cap);
    },
  };
}

/** Go's RFC1123Z layout in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`. */
export function rfc1123z(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/** True for IANA zone names the runtime knows (as Go's time.LoadLocation would accept). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
