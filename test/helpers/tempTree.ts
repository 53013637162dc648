/**
 * A folder of files for a test file to build trees in. It registers no hook (engine test files share
 * one module graph): the test file removes `root` in its own afterAll.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function tempTree(prefix: string): { root: string; write: (relative: string, text: string) => string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const write = (relative: string, text: string): string => {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };
  return { root, write };
}
