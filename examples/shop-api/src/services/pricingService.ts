import type { Product, PromoCode } from '@prisma/client';
import { applyPercentOff } from '../lib/money';

export interface CartLineInput {
  productId: string;
  quantity: number;
}

export interface QuotedLine {
  productId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

export interface Quote {
  lines: QuotedLine[];
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  totalCents: number;
}

export class UnknownProductError extends Error {
  constructor(readonly productId: string) {
    super(`product ${productId} is not for sale`);
    this.name = 'UnknownProductError';
  }
}

// Carriers charge extra for anything that does not fit a parcel.
const BULKY_CATEGORIES = ['furniture', 'appliances', 'garden'];
const BULKY_SURCHARGE_CENTS = 1_990;
const FREE_SHIPPING_COUNTRIES = new Set(['DE', 'AT', 'NL', 'BE', 'LU']);
const FLAT_SHIPPING_CENTS = 590;

export function quoteCart(lines: CartLineInput[], products: Product[], country: string, promo?: PromoCode | null): Quote {
  const quoted: QuotedLine[] = [];
  let shippingCents = FREE_SHIPPING_COUNTRIES.has(country) ? 0 : FLAT_SHIPPING_CENTS;
  for (const line of lines) {
    const product = products.find((candidate) => candidate.id === line.productId);
    if (!product || !product.active) throw new UnknownProductError(line.productId);
    if (BULKY_CATEGORIES.includes(product.category)) shippingCents += BULKY_SURCHARGE_CENTS;
    quoted.push({
      productId: product.id,
      sku: product.sku,
      name: product.name,
      quantity: line.quantity,
      unitPriceCents: product.priceCents,
      lineTotalCents: product.priceCents * line.quantity,
    });
  }

  const subtotalCents = quoted.reduce((sum, line) => sum + line.lineTotalCents, 0);
  const promoValid = promo != null && (promo.expiresAt === null || promo.expiresAt > new Date());
  const discountCents = promoValid ? subtotalCents - applyPercentOff(subtotalCents, promo.percentOff) : 0;
  return {
    lines: quoted,
    subtotalCents,
    discountCents,
    shippingCents,
    totalCents: subtotalCents - discountCents + shippingCents,
  };
}

/** Units in stock per SKU, for the storefront's availability badges. */
export function stockBySku(products: Array<Pick<Product, 'sku' | 'stock'>>): Record<string, number> {
  return products.reduce((stock, product) => ({ ...stock, [product.sku]: product.stock }), {} as Record<string, number>);
}
