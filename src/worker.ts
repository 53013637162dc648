/**
 * Entry point of dist/worker.js: the analysis engine on its own thread, so that parsing,
 * type-checking and workspace scans never block the extension host.
 */
import { parentPort } from 'node:worker_threads';
import { WorkerServer } from './worker/server';

if (!parentPort) throw new Error('dist/worker.js runs as a worker thread of the PerfLens extension');
const port = parentPort;
const server = new WorkerServer({ post: (message) => port.postMessage(message) });
port.on('message', (message: unknown) => server.handle(message));
