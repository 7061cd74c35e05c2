import type { BenchHome } from './profile';
import { BenchProfile } from './profile';

/** What a benchmark gets from the runner: its profiles, how many runs to do, and a log. */
export class BenchContext {
  private readonly created: BenchProfile[] = [];

  constructor(
    readonly home: BenchHome,
    /** Runs requested on the command line (`--runs N`), overriding each benchmark's default. */
    private readonly requestedRuns: number | undefined,
    readonly log: (message: string) => void,
  ) {}

  /** The number of runs: the requested one, else the benchmark's default. */
  runs(defaultRuns: number): number {
    return this.requestedRuns ?? defaultRuns;
  }

  /** A profile in the benchmark home; the runner deletes every profile made here at the end. */
  profile(name: string): BenchProfile {
    const profile = new BenchProfile(this.home, `bench-${name}`);
    this.created.push(profile);
    return profile;
  }

  /** Deletes every profile handed out (their containers and networks too). */
  async cleanup(): Promise<void> {
    for (const profile of this.created.splice(0)) {
      await profile.delete().catch(() => undefined);
    }
  }
}
