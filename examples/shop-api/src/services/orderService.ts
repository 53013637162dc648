import type { Order, OrderItem, OrderStatus } from '@prisma/client';
import { config } from '../lib/config';
import { prisma } from '../lib/db';
import { reserveStock } from './inventoryService';
import { quoteCart } from './pricingService';

export class OutOfStockError extends Error {
  constructor(readonly sku: string) {
    super(`${sku} is out of stock`);
    this.name = 'OutOfStockError';
  }
}

export interface OrderSummary {
  id: string;
  createdAt: Date;
  status: OrderStatus;
  totalCents: number;
  itemCount: number;
  customerName: string;
  customerEmail: string;
}

/** The back office's list of the latest orders. */
export async function listRecentOrders(limit = 50): Promise<OrderSummary[]> {
  const orders = await prisma.order.findMany({
    orderBy: { createdAt: 'desc' },
    take: limit,
    include: { _count: { select: { items: true } } },
  });
  const summaries: OrderSummary[] = [];
  for (const order of orders) {
    const customer = await prisma.customer.findUnique({ where: { id: order.customerId } });
    summaries.push({
      id: order.id,
      createdAt: order.createdAt,
      status: order.status,
      totalCents: order.totalCents,
      itemCount: order._count.items,
      customerName: customer?.name ?? '(deleted customer)',
      customerEmail: customer?.email ?? '',
    });
  }
  return summaries;
}

/** Everything the account page shows above the fold. */
export async function getCustomerOverview(customerId: string) {
  const customer = await prisma.customer.findUniqueOrThrow({ where: { id: customerId } });
  const openOrders = await prisma.order.count({ where: { customerId, status: { in: ['PENDING', 'PAID'] } } });
  const lastOrder = await prisma.order.findFirst({ where: { customerId }, orderBy: { createdAt: 'desc' } });
  return { customer, openOrders, lastOrder };
}

/** Turns a cart into an order: prices it, takes the stock, and asks the warehouse to hold it. */
export async function checkout(cartId: string): Promise<Order> {
  const cart = await prisma.cart.findUniqueOrThrow({
    where: { id: cartId },
    include: { lines: true, customer: true, promo: true },
  });
  const products = await prisma.product.findMany({ where: { id: { in: cart.lines.map((line) => line.productId) } } });
  const quote = quoteCart(cart.lines, products, cart.customer.country, cart.promo);

  const order = await prisma.$transaction(async (tx) => {
    // Each line takes its own quantity, guarded so that two checkouts cannot sell the last unit
    // twice: that needs one conditional update per line, inside the transaction.
    for (const line of quote.lines) {
      const { count } = await tx.product.updateMany({
        where: { id: line.productId, stock: { gte: line.quantity } },
        data: { stock: { decrement: line.quantity } },
      });
      if (count === 0) throw new OutOfStockError(line.sku);
    }
    const created = await tx.order.create({
      data: {
        customerId: cart.customerId,
        currency: config.currency,
        totalCents: quote.totalCents,
        items: {
          create: quote.lines.map((line) => ({ productId: line.productId, quantity: line.quantity, unitPriceCents: line.unitPriceCents })),
        },
      },
    });
    await tx.cart.delete({ where: { id: cart.id } });
    return created;
  });

  await reserveStock(order.id, quote.lines);
  return order;
}

/** Every order created since `since`, a page at a time, oldest first (the accounting export). */
export async function* ordersSince(since: Date, pageSize = 500): AsyncGenerator<Array<Order & { items: OrderItem[] }>> {
  let cursor: string | undefined;
  for (;;) {
    const page = await prisma.order.findMany({
      where: { createdAt: { gte: since } },
      orderBy: { id: 'asc' },
      take: pageSize,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
      include: { items: true },
    });
    if (page.length === 0) return;
    yield page;
    cursor = page[page.length - 1].id;
  }
}
