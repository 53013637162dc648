/**
 * Per-key debouncing: each document has its own timer, so typing in one file never delays
 * (or swallows) the analysis of another.
 */
export class Debouncer<K> {
  private readonly timers = new Map<K, { timer: ReturnType<typeof setTimeout>; run: () => void }>();

  constructor(private readonly delayMs: number) {}

  /** Runs `run` after `delayMs` of quiet for `key`; a newer call for the same key replaces it. */
  schedule(key: K, run: () => void): void {
    this.cancel(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      run();
    }, this.delayMs);
    this.timers.set(key, { timer, run });
  }

  /** Runs the pending call for `key` now, if there is one. */
  flush(key: K): void {
    const entry = this.timers.get(key);
    if (!entry) return;
    this.cancel(key);
    entry.run();
  }

  cancel(key: K): void {
    const entry = this.timers.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.timers.delete(key);
  }

  has(key: K): boolean {
    return this.timers.has(key);
  }

  dispose(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
