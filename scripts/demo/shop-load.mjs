// The CPU-bound half of examples/shop-api under a synthetic load, for the profile half of
// `npm run demo`: checkout quotes for big carts, the storefront's stock badges and search, and the
// finance CSV — the code paths where the scan reports lookup-in-loop, spread-accumulator and
// invariant-in-loop. scripts/demo.mjs bundles this file with esbuild (source maps on, Prisma
// replaced by scripts/demo/in-memory-prisma.mjs) and runs it with Node's CPU profiler, so the
// profile's hot lines are the example's own .ts lines. The data is seeded: every run is the same.
import { PrismaClient } from '@prisma/client';
import { quoteCart, stockBySku } from '../../examples/shop-api/src/services/pricingService';
import { searchProducts } from '../../examples/shop-api/src/services/catalogService';
import { salesCsv } from '../../examples/shop-api/src/services/reportService';

/** mulberry32: a small seeded generator, so the load is identical from run to run. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(20261129);
const pick = (list) => list[Math.floor(next() * list.length)];
const CATEGORIES = ['books', 'kitchen', 'garden', 'toys', 'furniture', 'office', 'sports'];
const WORDS = ['oak', 'steel', 'linen', 'classic', 'mini', 'pro', 'eco', 'travel', 'family', 'studio'];

const products = Array.from({ length: 4_000 }, (_, index) => ({
  id: `p${index}`,
  sku: `${pick(['ABC', 'KIT', 'GRD', 'TOY'])}-${String(index).padStart(4, '0')}`,
  name: `${pick(WORDS)} ${pick(WORDS)} ${pick(CATEGORIES)} ${index}`,
  category: pick(CATEGORIES),
  priceCents: 199 + Math.floor(next() * 50_000),
  stock: Math.floor(next() * 200),
  active: next() > 0.05,
}));
PrismaClient.products = products;
const forSale = products.filter((product) => product.active);

async function main() {
  let checksum = 0;
  // Checkout: 800 carts of 150 lines each, priced against the whole catalogue.
  for (let cart = 0; cart < 800; cart += 1) {
    const lines = Array.from({ length: 150 }, () => ({ productId: pick(forSale).id, quantity: 1 + Math.floor(next() * 3) }));
    checksum += quoteCart(lines, products, pick(['DE', 'FR', 'US'])).totalCents;
  }
  // Storefront: the stock badges for the first 2,500 products.
  checksum += Object.keys(stockBySku(products.slice(0, 2_500))).length;
  // Search: 200 queries over the active catalogue.
  for (let query = 0; query < 200; query += 1) checksum += (await searchProducts({ query: pick(WORDS), limit: 50 })).length;
  // Finance: a year of daily sales exported 60 times.
  const days = Array.from({ length: 365 }, (_, day) => ({
    day: `2026-${String(1 + Math.floor(day / 31)).padStart(2, '0')}-${String(1 + (day % 28)).padStart(2, '0')}`,
    orders: day,
    revenueCents: day * 12_345,
  }));
  for (let export_ = 0; export_ < 60; export_ += 1) checksum += salesCsv(days, 'EUR', 'de-DE').length;

  console.log(`shop-load: done (checksum ${checksum})`);
}

// The bundle is CommonJS (the example's config reads __dirname): no top-level await.
main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
