/**
 * Waiting on state that callbacks fill in, without polling or a time limit: `until(assertion)`
 * resolves the first time the assertion passes, checked at once and again at every `changed()`.
 * A test that waits forever is a hang, which the test runner's limit reports.
 */
export class Changes {
  private readonly pending = new Set<() => void>();

  changed(): void {
    for (const check of [...this.pending]) check();
  }

  until(assertion: () => void): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        try {
          assertion();
        } catch {
          return;
        }
        this.pending.delete(check);
        resolve();
      };
      this.pending.add(check);
      check();
    });
  }
}
