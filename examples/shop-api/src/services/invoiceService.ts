import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Customer, Order, OrderItem, Product } from '@prisma/client';
import { config } from '../lib/config';
import { escapeHtml, fillTemplate } from '../lib/html';
import { formatCents } from '../lib/money';

export type InvoiceOrder = Order & { customer: Customer; items: Array<OrderItem & { product: Product }> };

// Created at start-up, so archiving an invoice never has to check for the folder.
mkdirSync(config.invoiceDir, { recursive: true });

let invoiceTemplate: Promise<string> | undefined;

// The template ships with the release. Keeping the promise means concurrent first callers
// share one read, and later callers none.
function loadInvoiceTemplate(): Promise<string> {
  invoiceTemplate ??= readFile(path.join(config.templateDir, 'invoice.html'), 'utf8');
  return invoiceTemplate;
}

export async function renderInvoice(order: InvoiceOrder): Promise<string> {
  const template = await loadInvoiceTemplate();
  const rows = order.items
    .map((item) => `<tr><td>${escapeHtml(item.product.name)}</td><td>${item.quantity}</td><td>${formatCents(item.unitPriceCents * item.quantity)}</td></tr>`)
    .join('\n');
  return fillTemplate(template, {
    number: escapeHtml(order.id),
    date: order.createdAt.toISOString().slice(0, 10),
    customer: escapeHtml(order.customer.name),
    rows,
    total: formatCents(order.totalCents),
  });
}

/** Keeps a copy of every invoice sent: the tax office may ask for it for ten years. */
export async function archiveInvoice(order: InvoiceOrder): Promise<string> {
  const html = await renderInvoice(order);
  const file = path.join(config.invoiceDir, `${order.createdAt.getFullYear()}-${order.id}.html`);
  writeFileSync(file, html);
  return file;
}
