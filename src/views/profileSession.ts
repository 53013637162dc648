/**
 * One profile view's conversation with its page, without VS Code: the page's messages are
 * validated (protocol.ts) before anything acts on them, the model goes out in chunks only after
 * the page says `ready` (and again, as a new model, if the page is reloaded), and a profile that
 * could not be read becomes an `error` message — never a blank page.
 */
import type { LoadOutcome } from '../profileLoad/client';
import { modelMessages, type ChunkSizes } from '../profileView/modelChunks';
import { parsePageMessage, type HostMessage } from '../profileView/protocol';

export interface ProfileSessionOptions {
  /** Posts to the page; resolves once the message is on its way. */
  post(message: HostMessage): PromiseLike<unknown>;
  /** The page asked to open a function's source (url as the model names it; 1-based line, column; 0: unknown). */
  openSource(url: string, line: number, column: number, focus: boolean): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** Messages per chunk (tests make them small). */
  chunks?: ChunkSizes;
}

export class ProfileSession {
  private outcome: LoadOutcome | undefined;
  private pageReady = false;
  /** The model being sent: a newer one (the page was reloaded) stops the older one's chunks. */
  private sending = -1;
  private nextId = 0;
  private disposed = false;

  constructor(private readonly options: ProfileSessionOptions) {}

  /** The profile was read (or could not be): sent as soon as the page listens. */
  loaded(outcome: LoadOutcome): void {
    this.outcome = outcome;
    if (this.pageReady) void this.send(outcome);
  }

  /** A message from the page, as it arrived (unchecked). */
  receive(value: unknown): void {
    const message = parsePageMessage(value);
    if (typeof message === 'string') {
      this.options.log('warn', `ignored a message from the profile view: ${message}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.pageReady = true;
        if (this.outcome) void this.send(this.outcome);
        return;
      case 'openSource':
        this.options.openSource(message.url, message.line, message.column, message.focus);
        return;
      case 'select':
        // Selection matters to the page only, until line heat in the editor listens for it.
        return;
      case 'error':
        this.options.log('error', `the profile view: ${message.message}`);
        return;
    }
  }

  dispose(): void {
    this.disposed = true;
  }

  private async send(outcome: LoadOutcome): Promise<void> {
    const id = this.nextId++;
    this.sending = id;
    if ('error' in outcome) {
      await this.options.post({ type: 'error', message: outcome.error });
      return;
    }
    // One chunk, then a turn of the event loop: the host stays responsive however big the profile.
    for (const message of modelMessages(outcome.data, id, this.options.chunks)) {
      if (this.disposed || this.sending !== id) return;
      await this.options.post(message);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
