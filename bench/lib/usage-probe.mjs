// Preloaded into a measured child (`node --import`): when the child exits, however it exits,
// it writes its own CPU time and peak RSS to the file named by PERFLENS_BENCH_USAGE. Node's
// child_process does not report a child's rusage, and asking the child itself costs nothing.
import * as fs from 'node:fs';

const target = process.env.PERFLENS_BENCH_USAGE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(
      target,
      JSON.stringify({ userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000, maxRssBytes: usage.maxRSS * 1024 }),
    );
  });
}
