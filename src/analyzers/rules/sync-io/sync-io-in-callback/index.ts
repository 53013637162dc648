import { defineRule, SYNC_STALL_MEASURED } from '../../../rule';
import { isLazyInitialisation } from '../../../facts/positions';
import { syncIoCall } from '../../../facts/io';
import { enclosingEventCallback } from './eventCallback';

export default defineRule({
  meta: {
    id: 'sync-io-in-callback',
    category: 'sync-io',
    description:
      'A blocking `*Sync` call of fs, child_process, zlib or crypto in a listener of a repeating event (`data`, ' +
      '`message`, …) or a setInterval callback.',
    why:
      "A listener for 'message' or 'data' runs for every message a server receives; a setInterval callback runs for as long as the " +
      'process lives. A `*Sync` call there stops the event loop every time it fires: a 5 ms `appendFileSync` per WebSocket message ' +
      'caps the process at 200 messages a second, and every socket waits behind each write.',
    howToFix:
      'Use the asynchronous form (`fs.promises.appendFile`, a write stream opened once and reused, ' +
      '`util.promisify(zlib.gzip)`). A listener that becomes `async` must catch its own errors: an emitter does not ' +
      'await it, so a rejection is unhandled.',
    notReported: [
      'Listeners of one-off events (`exit`, `SIGINT`, `listening`, `close`)',
      'File watchers',
      'Request handlers and async functions (sync-io-in-handler and sync-io-in-async report those)',
      'Start-up code',
    ],
    impact: 'medium',
    effort: 'low',
    evidence: {
      basis: 'claim',
      cpu: true,
      measured: SYNC_STALL_MEASURED,
      why: 'the listener of a repeating event blocks the event loop on every event, wherever it runs',
    },
    fix: 'none',
    scope: { skip: ['tests', 'scripts', 'build-config', 'worker-threads', 'tool-packages', 'build-tool-importers'] },
    messages: {
      blocking: {
        message: '{{call}} blocks the event loop in {{where}}: it runs every time the event fires, and everything else waits for ' + 'it.',
        note: 'Use {{alternative}} (an async listener must catch its own errors).',
      },
    },
    examples: {
      invalid: [
        {
          code: `import fs from 'node:fs';
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ port: 8080 });
wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    fs.appendFileSync('messages.log', data + '\\n');
  });
});`,
          errors: [{ messageId: 'blocking', line: 7, column: 5 }],
        },
        {
          code: `import { execSync } from 'node:child_process';

setInterval(() => {
  const load = execSync('uptime').toString();
  metrics.gauge('load', parseFloat(load.split('load average:')[1]));
}, 1000);`,
          errors: [{ messageId: 'blocking', line: 4, column: 16 }],
        },
      ],
      valid: [
        `import fs from 'node:fs';

// Once, on the way out: synchronous on purpose.
process.on('exit', () => {
  fs.writeFileSync('state.json', JSON.stringify(state));
});`,
        `import fs from 'node:fs';

socket.on('message', async (data) => {
  try {
    await fs.promises.appendFile('messages.log', data + '\\n');
  } catch (error) {
    log.error(error);
  }
});`,
        {
          code: `import fs from 'node:fs';

// A development watcher, run from the command line.
watcher.on('data', (file) => fs.copyFileSync(file, 'dist/' + file));`,
          filename: 'scripts/watch.ts',
        },
        `import fs from 'node:fs';

let config: string | undefined;
// Read on the first message only.
socket.on('message', () => {
  config ??= fs.readFileSync('config.json', 'utf8');
});`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        const io = syncIoCall(call, file);
        if (!io) return;
        const callback = enclosingEventCallback(call);
        if (!callback) return;
        // Request handlers and async functions are the other rules' (a listener inside a handler is the handler's).
        if (file.asyncFunction(call) || file.requestHandler(call)) return;
        if (isLazyInitialisation(call, callback.fn)) return;
        context.report({
          node: call,
          messageId: 'blocking',
          data: { call: io.display, where: callback.description, alternative: io.alternative },
        });
      },
    };
  },
});
