/**
 * The test's side of fixtures/gatedWorker.ts. A file holding `gate.marker` stops the gated worker
 * at that file until `open()`: a test can cancel a scan while it is known to be between two files,
 * whatever the machine's speed. The gate is a FIFO (the worker's open-for-writing blocks until a
 * reader opens it), so the wait is the kernel's, not a timer's.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export class Gate {
  readonly fifo: string;
  private reader: number | undefined;

  /** `dir` must be outside the folders the worker scans. */
  constructor(dir: string) {
    this.fifo = path.join(dir, 'gate.fifo');
    execFileSync('mkfifo', [this.fifo]);
  }

  /** A line to put in the file the worker must stop at. */
  get marker(): string {
    return `// perflens-test-gate: ${this.fifo}\n`;
  }

  /** Lets the worker through, now or whenever it reaches the gate, until `dispose()`. */
  open(): void {
    this.reader ??= fs.openSync(this.fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  }

  /** Once the worker is done with the scan: opens the gate if it never was (no worker is left blocked), then closes it. */
  dispose(): void {
    this.open();
    fs.closeSync(this.reader!);
    this.reader = undefined;
  }
}
