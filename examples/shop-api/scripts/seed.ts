import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PrismaClient } from '@prisma/client';
import { parsePriceList } from '../src/services/catalogService';

const prisma = new PrismaClient();

async function main() {
  const file = process.argv[2] ?? path.join(__dirname, 'seed-data', 'price-list.csv');
  const rows = parsePriceList(readFileSync(file, 'utf8'));
  const { count } = await prisma.product.createMany({
    data: rows.map((row) => ({ ...row, stock: 25 })),
    skipDuplicates: true,
  });
  console.log(`seeded ${count} of ${rows.length} products from ${path.relative(process.cwd(), file)}`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => prisma.$disconnect());
