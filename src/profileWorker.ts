/**
 * Entry of dist/profileWorker.js: one profile read and turned into the view's data on a thread of
 * its own, then the thread ends. Not the analysis worker: a 100 MB profile takes seconds to read,
 * and live analysis must not queue behind it; the profile's full model (frames, line ticks) is
 * freed with the thread instead of staying in a long-lived heap.
 */
import { parentPort } from 'node:worker_threads';
import { answerLoad } from './profileLoad/load';
import { parseLoadRequest } from './profileLoad/protocol';

if (!parentPort) throw new Error('dist/profileWorker.js runs as a worker thread of the PerfLens extension');
const port = parentPort;
port.once('message', (message: unknown) => {
  const request = parseLoadRequest(message);
  if (typeof request === 'string') {
    port.postMessage({ type: 'failed', message: `PerfLens: the profile worker received no valid request (${request})` });
    return;
  }
  const answer = answerLoad(request);
  // The typed arrays move to the host instead of being copied.
  const transfer: ArrayBufferLike[] = [];
  if (answer.type === 'loaded') {
    const { tree, timeline } = answer.data;
    transfer.push(tree.parent.buffer, tree.fn.buffer, tree.self.buffer);
    if (timeline) transfer.push(timeline.node.buffer, timeline.weight.buffer);
  }
  port.postMessage(answer, transfer as ArrayBuffer[]);
});
