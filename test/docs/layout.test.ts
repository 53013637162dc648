/**
 * The layout blocks of docs/DESIGN.md ("## Layout") and README.md ("## How it works") match the
 * tree: every path they name exists unless marked "(planned)", and every folder and file directly
 * in src/ is named. When the tree changes, edit the block (test/docs/layout.ts has its grammar).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { blockAfterHeading, layoutEntries, layoutProblems, pathsMatching } from './layout';

const repository = path.resolve(__dirname, '../..');

describe.each([
  ['docs/DESIGN.md', '## Layout'],
  ['README.md', '## How it works'],
])('the layout block of %s', (document, heading) => {
  const block = blockAfterHeading(fs.readFileSync(path.join(repository, document), 'utf8'), heading);

  it('matches the tree', () => {
    expect(layoutProblems(block, repository)).toEqual([]);
  });

  it('names where a rule lives, with or without helpers of its own', () => {
    const paths = layoutEntries(block).map((entry) => entry.path);
    expect(paths).toContain('src/analyzers/rules/<category>/<rule-id>.ts');
    expect(paths).toContain('src/analyzers/rules/<category>/<rule-id>/index.ts');
  });
});

describe('the layout check', () => {
  /** A small tree: src/ with a file and two folders, one holding a rule folder. */
  function tree(): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-layout-'));
    onTestFinished(() => fs.rmSync(root, { recursive: true, force: true }));
    for (const file of ['src/main.ts', 'src/rules/a/one.ts', 'src/rules/b/two/index.ts', 'src/util/x.ts']) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), '');
    }
    return root;
  }

  it('reads folders by indentation and wrapped descriptions as one entry', () => {
    const block = ['src/          the code,', '              over two lines', '  main.ts     entry', '  rules/', '    <c>/<id>.ts  a rule'];
    expect(layoutEntries(block)).toEqual([
      { path: 'src/', planned: false, line: 1 },
      { path: 'src/main.ts', planned: false, line: 3 },
      { path: 'src/rules/', planned: false, line: 4 },
      { path: 'src/rules/<c>/<id>.ts', planned: false, line: 5 },
    ]);
  });

  it('matches <name> against any one name, files and folders apart', () => {
    const root = tree();
    expect(pathsMatching(root, 'src/rules/<c>/<id>.ts')).toEqual(['src/rules/a/one.ts']);
    expect(pathsMatching(root, 'src/rules/<c>/<id>/index.ts')).toEqual(['src/rules/b/two/index.ts']);
    expect(pathsMatching(root, 'src/main.ts/')).toEqual([]);
    expect(pathsMatching(root, 'src/util')).toEqual([]);
  });

  it('reports a missing path, a planned one that exists, and what src/ holds unnamed', () => {
    const root = tree();
    const block = ['src/', '  main.ts', '  util/       (planned)', '  media/      missing', 'docs/        (planned) still to come'];
    expect(layoutProblems(block, root)).toEqual([
      'line 3: src/util/ exists now: drop "(planned)"',
      'line 4: src/media/ does not exist (mark it "(planned)" if it is to come)',
      'src/rules/ is not named',
    ]);
  });

  it('refuses a line indented under a file', () => {
    expect(() => layoutEntries(['src/', '  main.ts', '    inner.ts'])).toThrow('line 3 is indented under no folder: inner.ts');
  });
});
