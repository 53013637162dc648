/**
 * Reading a stream (a profile piped into standard input) with the same limit as a file: the
 * stream is collected until it ends, or refused — and no longer read — as soon as it passes the
 * limit, so `perflens profile - < /dev/zero`-like input cannot grow memory without bound.
 */
import { formatBytes, type Refusal } from './regularFile';

export function readBoundedStream(stream: NodeJS.ReadableStream, maxBytes: number): Promise<{ bytes: Buffer } | { refused: Refusal }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (result: { bytes: Buffer } | { refused: Refusal }): void => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      length += bytes.length;
      if (length > maxBytes) {
        stream.pause();
        // Whatever the writer still sends is not wanted: stop reading (a pipe's writer then gets EPIPE).
        (stream as { destroy?: () => void }).destroy?.();
        finish({ refused: { kind: 'too-large', reason: `larger than ${formatBytes(maxBytes)}` } });
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = (): void => finish({ bytes: Buffer.concat(chunks, length) });
    const onError = (error: NodeJS.ErrnoException): void =>
      finish({ refused: { kind: 'unreadable', reason: `not readable (${error.code ?? 'EIO'})`, code: error.code } });
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
