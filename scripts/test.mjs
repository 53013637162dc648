// `npm test`: build, typecheck, lint, then every unit and integration test — stopping at the
// first failing step, as a developer expects. Each step leaves a marker in test-results/ and
// vitest writes a JSON report there, so .ci/run can add up what ran.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

const results = 'test-results';
fs.mkdirSync(results, { recursive: true });
for (const file of fs.readdirSync(results)) if (file.endsWith('.ok')) fs.rmSync(`${results}/${file}`);

const steps = [
  ['build', 'node', ['esbuild.mjs']],
  ['typecheck', 'npx', ['tsc', '-p', '.', '--noEmit']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
  ['vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}/vitest.json`, ...process.argv.slice(2)]],
];

for (const [name, command, args] of steps) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const run = spawnSync(command, args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status !== 0) {
    console.error(`✗ ${name} failed after ${seconds}s`);
    process.exit(run.status ?? 1);
  }
  fs.writeFileSync(`${results}/${name}.ok`, '');
  console.log(`✓ ${name} (${seconds}s)`);
}
