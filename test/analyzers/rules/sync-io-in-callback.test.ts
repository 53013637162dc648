import { describe, expect, it } from 'vitest';
import { findings, shownText } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'sync-io-in-callback';
const tester = ruleTester(rule);
const messages = (code: string, filename?: string): string[] => findings(code, { rule, filename }).map(shownText);

describe('sync-io-in-callback reports', () => {
  it('names the listener and the alternative', async () => {
    const code = `import fs from 'node:fs';\nstream.on('data', (chunk) => fs.appendFileSync('audit.log', chunk));`;
    await tester.invalid({ code, errors: [{ messageId: 'blocking', line: 2, column: 30 }] });
    expect(messages(code)).toEqual([
      "fs.appendFileSync blocks the event loop in the 'data' listener: it runs every time the event fires, and everything else waits for it. Use await fs.promises.appendFile(…) (an async listener must catch its own errors).",
    ]);
  });

  it.each([
    [
      'a connection listener',
      `import zlib from 'node:zlib';\nserver.on('connection', (socket) => { socket.write(zlib.gzipSync('hello')); });`,
      [{ messageId: 'blocking', line: 2, column: 52 }],
    ],
    [
      'addEventListener on a worker port',
      `import { execFileSync } from 'node:child_process';\nport.addEventListener('message', (event) => { execFileSync('notify', [event.data]); });`,
      [{ messageId: 'blocking', line: 2, column: 47 }],
    ],
    [
      'inside a synchronous iteration callback of the listener',
      `import fs from 'node:fs';\nqueue.on('job', (job) => { job.files.forEach((f) => fs.unlinkSync(f)); });`,
      [{ messageId: 'blocking', line: 2, column: 53 }],
    ],
    [
      'a setInterval callback',
      `import crypto from 'node:crypto';\nsetInterval(() => { key = crypto.scryptSync(secret, 'salt', 64); }, 60_000);`,
      [{ messageId: 'blocking', line: 2, column: 27 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });
});

describe('sync-io-in-callback stays quiet', () => {
  it.each([
    [
      'one-off events',
      `import fs from 'node:fs';\nserver.on('listening', () => fs.writeFileSync('pid', String(process.pid)));\nprocess.on('SIGTERM', () => fs.writeFileSync('state', '{}'));`,
    ],
    ['setTimeout (runs once)', `import fs from 'node:fs';\nsetTimeout(() => fs.writeFileSync('ready', '1'), 100);`],
    ['a file watcher', `import fs from 'node:fs';\nwatcher.on('change', (file) => fs.readFileSync(file, 'utf8'));`],
    [
      'an async listener (sync-io-in-async reports it)',
      `import fs from 'node:fs';\nsocket.on('message', async () => { fs.readFileSync('a'); });`,
    ],
    [
      'a listener inside a request handler (sync-io-in-handler reports it)',
      `import fs from 'node:fs';\napp.post('/upload', (req, res) => { req.on('data', (chunk) => fs.appendFileSync('upload.bin', chunk)); });`,
    ],
    [
      'a worker thread',
      `import { parentPort } from 'node:worker_threads';\nimport fs from 'node:fs';\nparentPort.on('message', (m) => fs.writeFileSync('out', m));`,
    ],
  ])('%s', (_name, code) => {
    expect(messages(code)).toEqual([]);
  });

  it.each([['scripts/dev.ts'], ['src/server.test.ts'], ['bin/cli.js']])('in %s', (filename) => {
    expect(messages(`import fs from 'node:fs';\nstream.on('data', (c) => fs.appendFileSync('a', c));`, filename)).toEqual([]);
  });
});
