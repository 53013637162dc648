// `npm test`: build, typecheck, lint, format check, unused-code check, then every unit and integration
// test — stopping at the first failing stage, as a developer expects. Typecheck, lint, the format check
// and the unused-code check need only the sources and are single-threaded, so they run side by side (their output is shown once each is done). Each step
// leaves a marker in test-results/ and vitest writes a JSON report there, so .ci/run can add up
// what ran.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

const results = 'test-results';
fs.mkdirSync(results, { recursive: true });
for (const file of fs.readdirSync(results)) if (file.endsWith('.ok')) fs.rmSync(`${results}/${file}`);

const stages = [
  [['build', 'node', ['esbuild.mjs']]],
  [
    ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
    ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
    // `npx prettier --write .` formats what this reports.
    ['format', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']],
    // Unused files, dependencies and exports (knip.jsonc), then exports only tests use.
    ['unused', 'npm', ['run', '--silent', 'unused']],
  ],
  [
    [
      'vitest',
      'npx',
      ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}/vitest.json`, ...process.argv.slice(2)],
    ],
  ],
];

/** Runs one step; alone it talks to the terminal directly, beside another its output is held until it ends. */
function run([name, command, args], alone) {
  const started = Date.now();
  if (alone) console.log(`\n▶ ${name}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: alone ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    let ended = false;
    const end = (status) => {
      if (ended) return;
      ended = true;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (!alone) process.stdout.write(`\n▶ ${name}\n${output}`);
      if (status === 0) {
        fs.writeFileSync(`${results}/${name}.ok`, '');
        console.log(`✓ ${name} (${seconds}s)`);
      } else {
        console.error(`✗ ${name} failed after ${seconds}s`);
      }
      resolve(status ?? 1);
    };
    child.on('error', (error) => {
      output += `${error.message}\n`;
      end(1);
    });
    child.on('close', end);
  });
}

for (const stage of stages) {
  const statuses = await Promise.all(stage.map((step) => run(step, stage.length === 1)));
  const failed = statuses.find((status) => status !== 0);
  if (failed !== undefined) process.exit(failed);
}
