/**
 * How long a test, a hook or a child process a test waits for may take before it counts as hung:
 * far beyond anything a loaded machine needs (the whole suite takes minutes). It stops a hang; it
 * is not a speed limit — no test may depend on finishing sooner.
 */
export const HUNG_MS = 10 * 60_000;
