/**
 * A failure the user can act on: `message` says what is wrong in one line, `hint` says how to fix
 * it. Commands print both and exit non-zero; anything else is treated as an unexpected error.
 */
export class ProfileError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ProfileError';
  }
}

/** Creating a profile that exists (possibly created a moment ago by a concurrent start). */
export class ProfileExistsError extends ProfileError {
  constructor(name: string) {
    super(`Profile "${name}" already exists.`);
    this.name = 'ProfileExistsError';
  }
}
