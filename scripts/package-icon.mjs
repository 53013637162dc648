// Draws the extension icon (docs/images/icon.png, 128×128, as the Marketplace asks): a lens over
// the bars of a flame graph. Rendered from SVG by the Debian Chromium the e2e tests use:
//   node scripts/package-icon.mjs
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'docs/images/icon.png');

// Flame-graph bars (x, y, width, colour), hottest at the bottom, clipped by the lens.
const bars = [
  [18, 84, 92, '#e8590c'],
  [18, 68, 58, '#f08c00'],
  [80, 68, 30, '#f59f00'],
  [18, 52, 30, '#fab005'],
  [52, 52, 24, '#fcc419'],
  [80, 52, 14, '#ffd43b'],
  [26, 36, 18, '#ffe066'],
];
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <defs><clipPath id="lens"><circle cx="56" cy="56" r="40"/></clipPath></defs>
  <rect x="0" y="0" width="128" height="128" rx="24" fill="#1b1f2a"/>
  <g clip-path="url(#lens)">
    <circle cx="56" cy="56" r="40" fill="#262c3b"/>
    ${bars.map(([x, y, w, c]) => `<rect x="${x}" y="${y}" width="${w}" height="14" rx="2" fill="${c}"/>`).join('\n    ')}
  </g>
  <circle cx="56" cy="56" r="40" fill="none" stroke="#e9ecef" stroke-width="8"/>
  <line x1="85" y1="85" x2="112" y2="112" stroke="#e9ecef" stroke-width="12" stroke-linecap="round"/>
</svg>`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.locator('svg').screenshot({ path: out, omitBackground: true });
  console.log(`${path.relative(root, out)}: ${fs.statSync(out).size} bytes`);
} finally {
  await browser.close();
}
