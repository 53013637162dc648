/**
 * The profile view's host side without VS Code: the profile worker as it ships (dist/profileWorker.js)
 * reading real profiles, the session that answers the page, the page's HTML and where "open the
 * source" lands.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInWorker, type LoadOutcome } from '../../src/profileLoad/client';
import { parseLoadRequest, parseLoadResponse } from '../../src/profileLoad/protocol';
import type { ViewData } from '../../src/profileView/data';
import { ModelAssembler } from '../../src/profileView/modelChunks';
import type { HostMessage } from '../../src/profileView/protocol';
import { profileViewHtml } from '../../src/views/profileHtml';
import { ProfileSession } from '../../src/views/profileSession';
import { sourceFileOf } from '../../src/views/profileSource';
import { viewData, cpuProfile } from '../profileView/helpers';
import { bundles, ROOT, tempDir } from './helpers/bundle';

const FIXTURE = path.join(ROOT, 'test', 'e2e', 'fixtures', 'profile');
let workspace: string;

beforeAll(() => {
  // The recorded profiles name their scripts under a placeholder: here, a copy of the fixture.
  workspace = tempDir('profile-view');
  fs.cpSync(FIXTURE, workspace, { recursive: true });
  for (const name of ['hot.cpuprofile', 'alloc.heapprofile']) {
    const file = path.join(workspace, 'profiles', name);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('__WORKSPACE__', workspace));
  }
});

afterAll(() => {
  fs.rmSync(workspace, { recursive: true, force: true });
});

function load(file: string, signal?: AbortSignal): Promise<LoadOutcome> {
  return loadInWorker(bundles().profileWorker, { file, root: workspace, readRoots: [workspace] }, signal);
}

function dataOf(outcome: LoadOutcome): ViewData {
  if ('error' in outcome) throw new Error(outcome.error);
  return outcome.data;
}

describe('the profile worker', () => {
  it('reads a recorded .cpuprofile and maps its hot function to the TypeScript source', async () => {
    const data = dataOf(await load(path.join(workspace, 'profiles', 'hot.cpuprofile')));
    expect(data.summary).toMatchObject({ format: 'cpuprofile', unit: 'ms' });
    const hot = data.functions.find((fn) => fn.name === 'sumOfSquares');
    expect(hot).toEqual({ name: 'sumOfSquares', file: 'src/hot.ts', path: path.join(workspace, 'src', 'hot.ts'), line: 4, column: 17 });
    expect(data.tree.parent).toBeInstanceOf(Int32Array);
    expect(data.tree.self).toBeInstanceOf(Float64Array);
  });

  it("gives each source line's self time for the editor's line heat, hottest first", async () => {
    const outcome = await load(path.join(workspace, 'profiles', 'hot.cpuprofile'));
    if ('error' in outcome) throw new Error(outcome.error);
    // The loop's line (V8's positionTicks, mapped to the .ts source); no line of Node's internals has a path.
    const hot = outcome.data.functions.findIndex((fn) => fn.name === 'sumOfSquares');
    // …and the function that ran there, for the hover.
    expect(outcome.lines[0]).toMatchObject({ path: path.join(workspace, 'src', 'hot.ts'), line: 6, fn: hot });
    expect(outcome.lines[0].self / outcome.data.summary.total).toBeGreaterThan(0.5);
    expect(outcome.lines.every((line) => line.path.startsWith(workspace))).toBe(true);
  });

  it('reads a heap profile in bytes', async () => {
    const data = dataOf(await load(path.join(workspace, 'profiles', 'alloc.heapprofile')));
    expect(data.summary).toMatchObject({ format: 'heapprofile', unit: 'bytes' });
    expect(data.functions.find((fn) => fn.name === 'allocateRows')).toMatchObject({ file: 'src/alloc.ts', line: 4 });
  });

  it("answers a file that is not a profile with the CLI's one-line reason", async () => {
    const file = path.join(workspace, 'notes.cpuprofile');
    fs.writeFileSync(file, 'hello world\n');
    expect(await load(file)).toEqual({
      error: 'not a profile: text that is neither JSON nor folded stacks ("frame;frame;… count" lines)',
    });
    expect(await load(path.join(workspace, 'missing.cpuprofile'))).toEqual({
      error: `no such file: ${path.join(workspace, 'missing.cpuprofile')}`,
    });
  });

  it('does not read a source map outside the roots it is given', async () => {
    // The same profile, its scripts said to be in a folder outside the only root allowed.
    const outside = tempDir('profile-outside');
    fs.cpSync(path.join(workspace, 'out'), path.join(outside, 'out'), { recursive: true });
    fs.cpSync(path.join(workspace, 'src'), path.join(outside, 'src'), { recursive: true });
    const file = path.join(workspace, 'profiles', 'elsewhere.cpuprofile');
    const text = fs.readFileSync(path.join(FIXTURE, 'profiles', 'hot.cpuprofile'), 'utf8');
    fs.writeFileSync(file, text.replaceAll('__WORKSPACE__', outside));
    try {
      const data = dataOf(await load(file));
      expect(data.functions.find((fn) => fn.name === 'sumOfSquares')).toMatchObject({ file: path.join(outside, 'out', 'hot.js') });
      expect(data.summary.notes.join('\n')).toMatch(/reading outside the root is refused/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('is ended when the view closes before it answers', async () => {
    const closed = new AbortController();
    closed.abort();
    expect(await load(path.join(workspace, 'profiles', 'hot.cpuprofile'), closed.signal)).toEqual({ error: 'the profile view was closed' });
  });
});

describe('the profile worker protocol', () => {
  it('checks both ways', () => {
    expect(parseLoadRequest({ type: 'load', file: '/p.cpuprofile', root: '/', readRoots: ['/'] })).toMatchObject({ type: 'load' });
    expect(parseLoadRequest({ type: 'load', file: '/p.cpuprofile', root: '/', readRoots: '/' })).toBe(
      'message "load" has a missing or invalid "readRoots"',
    );
    expect(parseLoadResponse({ type: 'failed', message: 'no such file: x' })).toEqual({ type: 'failed', message: 'no such file: x' });
    expect(
      parseLoadResponse({ type: 'loaded', data: { summary: { total: 1 }, functions: [], tree: { parent: [], fn: [], self: [] } } }),
    ).toBe('message "loaded" has a missing or invalid "data"');
  });
});

// ---------------------------------------------------------------- the session

const small = viewData(
  cpuProfile({
    name: '(root)',
    children: [{ name: 'main', url: '/app/main.js', ms: 2, children: [{ name: 'work', url: '/app/work.js', ms: 7 }] }],
  }),
);

function session(chunks = { nodes: 1, functions: 1 }): {
  session: ProfileSession;
  sent: HostMessage[];
  opened: unknown[];
  logged: string[];
} {
  const sent: HostMessage[] = [];
  const opened: unknown[] = [];
  const logged: string[] = [];
  const created = new ProfileSession({
    post: async (message) => {
      sent.push(message);
      return true;
    },
    openSource: (...args) => opened.push(args),
    log: (level, message) => logged.push(`${level}: ${message}`),
    chunks,
  });
  return { session: created, sent, opened, logged };
}

/** Waits until the session has posted a whole model (or an error) — the chunks go out a turn of the event loop apart. */
async function settled(sent: HostMessage[], count = 1): Promise<void> {
  while (sent.filter((message) => message.type === 'modelEnd' || message.type === 'error').length < count)
    await new Promise((resolve) => setImmediate(resolve));
}

describe('ProfileSession', () => {
  it('sends nothing before the page is ready, then the whole model in chunks the page can assemble', async () => {
    const { session: s, sent } = session();
    s.loaded({ data: small, lines: [] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([]);
    s.receive({ type: 'ready' });
    await settled(sent);
    // One node and one function a message, as asked.
    expect(sent.filter((message) => message.type === 'modelNodes')).toHaveLength(small.tree.parent.length);
    const assembler = new ModelAssembler();
    let model: ViewData | string | undefined;
    for (const message of sent) if (message.type !== 'select' && message.type !== 'error') model = assembler.accept(message);
    expect(model).toEqual(small);
  });

  it('sends as soon as the model is there when the page was ready first', async () => {
    const { session: s, sent } = session({ nodes: 65536, functions: 4096 });
    s.receive({ type: 'ready' });
    s.loaded({ data: small, lines: [] });
    await settled(sent);
    expect(sent.map((message) => message.type)).toEqual(['modelStart', 'modelFunctions', 'modelNodes', 'modelTimeline', 'modelEnd']);
  });

  it('sends a profile that could not be read as its reason, not as a blank page', async () => {
    const { session: s, sent } = session();
    s.receive({ type: 'ready' });
    s.loaded({ error: 'no such file: /x.cpuprofile' });
    await settled(sent);
    expect(sent).toEqual([{ type: 'error', message: 'no such file: /x.cpuprofile' }]);
  });

  it('sends a reloaded page a new model, and stops the older one', async () => {
    const { session: s, sent } = session();
    s.loaded({ data: small, lines: [] });
    s.receive({ type: 'ready' });
    s.receive({ type: 'ready' });
    await settled(sent);
    await new Promise((resolve) => setImmediate(resolve));
    const starts = sent.filter((message) => message.type === 'modelStart');
    expect(starts.map((message) => message.id)).toEqual([0, 1]);
    // Model 0 was cut short by model 1: the page drops an older model's late chunks anyway.
    const ends = sent.filter((message) => message.type === 'modelEnd').map((message) => message.id);
    expect(ends).toEqual([1]);
  });

  it('opens the source the page asks for, and logs and ignores what does not fit the protocol', () => {
    const { session: s, opened, logged } = session();
    s.receive({ type: 'openSource', url: '/app/src/hot.ts', line: 4, column: 17, focus: true });
    s.receive({ type: 'openSource', url: '/app/src/hot.ts', line: 9, column: 1, focus: false });
    s.receive({ type: 'openSource', url: '/app/src/hot.ts', line: '4', column: 17, focus: true });
    s.receive({ type: 'exec', code: 'x' });
    s.receive({ type: 'error', message: 'model 3: functions out of order' });
    expect(opened).toEqual([
      ['/app/src/hot.ts', 4, 17, true],
      ['/app/src/hot.ts', 9, 1, false],
    ]);
    expect(logged).toEqual([
      'warn: ignored a message from the profile view: message "openSource" has a missing or invalid "line"',
      'warn: ignored a message from the profile view: unknown message type "exec"',
      'error: the profile view: model 3: functions out of order',
    ]);
  });

  it('stops sending once disposed', async () => {
    const { session: s, sent } = session();
    s.loaded({ data: small, lines: [] });
    s.receive({ type: 'ready' });
    s.dispose();
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(sent.some((message) => message.type === 'modelEnd')).toBe(false);
  });
});

// ---------------------------------------------------------------- the page and its sources

describe('the page', () => {
  const html = profileViewHtml({
    script: 'https://file+.vscode-resource/ext/dist/webview.js',
    style: 'https://file+.vscode-resource/ext/media/profileView.css',
    cspSource: 'https://*.vscode-cdn.net',
    nonce: 'n0Nc3',
    title: '<img src=x onerror=alert(1)>.cpuprofile',
  });

  it('allows only its own script, by nonce, and its own stylesheet', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    expect(csp?.replaceAll('&#39;', "'")).toBe(
      "default-src 'none'; style-src https://*.vscode-cdn.net; font-src https://*.vscode-cdn.net; img-src https://*.vscode-cdn.net data:; script-src 'nonce-n0Nc3'",
    );
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script nonce="n0Nc3" src="https://file+.vscode-resource/ext/dist/webview.js">']);
    // No inline style for the CSP to block: style from the stylesheet only.
    expect(html).not.toMatch(/\sstyle=|<style/);
  });

  it('writes the file name as text', () => {
    expect(html).toContain('<title>&#60;img src=x onerror=alert(1)&#62;.cpuprofile</title>');
    expect(html).not.toContain('<img');
  });
});

describe('sourceFileOf', () => {
  const exists = (files: string[]) => (file: string) => files.includes(file);

  it('finds a file:// URL, an absolute path, and a name relative to a root', () => {
    const isFile = exists(['/work/app/src/hot.ts', '/work/other/lib/util.ts']);
    expect(sourceFileOf(pathToFileURL('/work/app/src/hot.ts').href, ['/work/app'], isFile)).toBe('/work/app/src/hot.ts');
    expect(sourceFileOf('/work/app/src/hot.ts', ['/work/app'], isFile)).toBe('/work/app/src/hot.ts');
    expect(sourceFileOf('src/hot.ts', ['/work/app'], isFile)).toBe('/work/app/src/hot.ts');
    // Relative names are tried against each root in turn.
    expect(sourceFileOf('lib/util.ts', ['/work/app', '/work/other'], isFile)).toBe('/work/other/lib/util.ts');
    expect(sourceFileOf('webpack://app/./src/hot.ts', ['/work/app'], isFile)).toBe('/work/app/src/hot.ts');
  });

  it('finds nothing for Node internals, web URLs and files that are not there', () => {
    const isFile = exists(['/work/app/src/hot.ts']);
    expect(sourceFileOf('node:internal/main/run_main_module', ['/work/app'], isFile)).toBeUndefined();
    expect(sourceFileOf('https://example.com/app.js', ['/work/app'], isFile)).toBeUndefined();
    expect(sourceFileOf('/elsewhere/src/hot.ts', ['/work/app'], isFile)).toBeUndefined();
    expect(sourceFileOf('src/hot.ts', [], isFile)).toBeUndefined();
  });
});
