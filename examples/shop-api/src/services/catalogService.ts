import type { Product } from '@prisma/client';
import { prisma } from '../lib/db';

export interface SearchOptions {
  query: string;
  category?: string;
  limit: number;
}

export interface PriceListRow {
  sku: string;
  name: string;
  category: string;
  priceCents: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Storefront search: active products whose name or SKU contains the query, any case. */
export async function searchProducts({ query, category, limit }: SearchOptions): Promise<Product[]> {
  const candidates = await prisma.product.findMany({
    where: { active: true, ...(category ? { category } : {}) },
    orderBy: { name: 'asc' },
  });
  return candidates
    .filter((product) => {
      const pattern = new RegExp(escapeRegExp(query), 'i');
      return pattern.test(product.name) || pattern.test(product.sku);
    })
    .slice(0, limit);
}

/**
 * Parses the buying team's price list export (`sku;name;category;price`, decimal comma),
 * skipping the header and rows that are not a product.
 */
export function parsePriceList(csv: string): PriceListRow[] {
  const rows: PriceListRow[] = [];
  for (const line of csv.split(/\r?\n/).slice(1)) {
    const [sku = '', name = '', category = '', price = ''] = line.split(';').map((cell) => cell.trim());
    if (!/^[A-Z]{3}-\d{4}$/.test(sku) || !name || !category) continue;
    const priceCents = Math.round(Number(price.replace(',', '.')) * 100);
    if (!Number.isFinite(priceCents) || priceCents <= 0) continue;
    rows.push({ sku, name, category, priceCents });
  }
  return rows;
}
