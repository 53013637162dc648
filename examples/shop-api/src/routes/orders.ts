import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Customer, Order } from '@prisma/client';
import { Router } from 'express';
import { z } from 'zod';
import { config } from '../lib/config';
import { prisma } from '../lib/db';
import { escapeHtml, fillTemplate } from '../lib/html';
import { formatCents } from '../lib/money';
import { shipmentOf } from '../services/inventoryService';
import { archiveInvoice } from '../services/invoiceService';
import { checkout, listRecentOrders, ordersSince } from '../services/orderService';

export const ordersRouter = Router();

const checkoutBody = z.object({ cartId: z.string().min(1) });

ordersRouter.param('orderId', async (req, res, next, orderId: string) => {
  const order = await prisma.order.findUnique({ where: { id: orderId }, include: { customer: true } });
  if (!order) return res.status(404).json({ error: 'order not found' });
  res.locals.order = order;
  next();
});

ordersRouter.get('/', async (req, res) => {
  const limit = Math.min(Number(req.query.limit ?? 50), 200);
  res.json(await listRecentOrders(limit));
});

ordersRouter.post('/', async (req, res) => {
  const { cartId } = checkoutBody.parse(req.body);
  res.status(201).json(await checkout(cartId));
});

// Newline-delimited JSON, streamed page by page: the accounting export covers years of orders.
ordersRouter.get('/export.ndjson', async (req, res) => {
  const since = new Date(String(req.query.since ?? '1970-01-01'));
  res.type('application/x-ndjson');
  for await (const page of ordersSince(since)) {
    res.write(page.map((order) => JSON.stringify(order)).join('\n') + '\n');
  }
  res.end();
});

ordersRouter.get('/:orderId/receipt', async (req, res) => {
  const order = res.locals.order as Order & { customer: Customer };
  const template = await readFile(path.join(config.templateDir, 'receipt.html'), 'utf8');
  res.type('html').send(
    fillTemplate(template, {
      number: escapeHtml(order.id),
      customer: escapeHtml(order.customer.name),
      total: formatCents(order.totalCents),
    }),
  );
});

ordersRouter.post('/:orderId/invoice', async (req, res) => {
  const order = res.locals.order as Order & { customer: Customer };
  const items = await prisma.orderItem.findMany({ where: { orderId: order.id }, include: { product: true } });
  const file = await archiveInvoice({ ...order, items });
  res.status(201).json({ invoice: path.basename(file) });
});

ordersRouter.get('/:orderId/tracking', async (req, res) => {
  const shipment = await shipmentOf((res.locals.order as Order).id);
  if (!shipment) return res.status(404).json({ error: 'not shipped yet' });
  res.json(shipment);
});
