import { InvalidArgumentError } from 'commander';

/**
 * Collects `--build-arg K=V` into a map (repeatable). `K` alone takes the value from the
 * environment, as `docker build` does, and is skipped when the environment has none.
 */
export function collectBuildArg(
  env: NodeJS.ProcessEnv,
): (value: string, previous: Record<string, string> | undefined) => Record<string, string> {
  return (value, previous) => {
    const args = { ...(previous ?? {}) };
    const eq = value.indexOf('=');
    const key = eq < 0 ? value : value.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new InvalidArgumentError(
        `"${value}" is not a build argument: use NAME=VALUE (or NAME to pass it from the environment).`,
      );
    }
    if (eq >= 0) args[key] = value.slice(eq + 1);
    else if (env[key] !== undefined) args[key] = env[key];
    return args;
  };
}

/** Collects repeatable `-t NAME[:TAG]`, checking each is an image reference Docker accepts. */
export function collectTag(value: string, previous: string[] | undefined): string[] {
  if (!isImageReference(value)) {
    throw new InvalidArgumentError(
      `"${value}" is not an image name: use lower-case NAME[:TAG], e.g. app:dev or localhost:5000/app:latest.`,
    );
  }
  return [...(previous ?? []), value];
}

// Docker's reference grammar, reduced: [host[:port]/]path-components[:tag]; no digests for -t.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const HOST =
  '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)';
const REFERENCE = new RegExp(`^(?:${HOST}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?$`);

/** Whether `value` is a `NAME[:TAG]` image reference. */
export function isImageReference(value: string): boolean {
  return value.length <= 255 && REFERENCE.test(value);
}
