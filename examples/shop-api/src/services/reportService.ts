import { prisma } from '../lib/db';

export interface DailySales {
  day: string;
  orders: number;
  revenueCents: number;
}

/** Paid and shipped orders per calendar day in [from, to). */
export async function dailySales(from: Date, to: Date): Promise<DailySales[]> {
  return prisma.$queryRaw<DailySales[]>`
    SELECT to_char(date_trunc('day', "createdAt"), 'YYYY-MM-DD') AS day,
           count(*)::int AS orders,
           sum("totalCents")::int AS "revenueCents"
      FROM "Order"
     WHERE status IN ('PAID', 'SHIPPED') AND "createdAt" >= ${from} AND "createdAt" < ${to}
     GROUP BY 1
     ORDER BY 1`;
}

/** The CSV finance imports into their spreadsheet. */
export function salesCsv(rows: DailySales[], currency: string, locale = 'en-US'): string {
  const lines = ['day,orders,revenue'];
  for (const row of rows) {
    const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
    lines.push(`${row.day},${row.orders},"${money.format(row.revenueCents / 100)}"`);
  }
  return lines.join('\n');
}
