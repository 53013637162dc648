/**
 * A profile that cannot be read as given: not a profile, truncated, too large, inconsistent.
 * Front ends turn it into one line (the CLI: exit status 2), never a stack trace.
 */
export class ProfileError extends Error {
  override name = 'ProfileError';
}
