import { PrismaClient } from '@prisma/client';

// One client for the whole process: each PrismaClient opens its own connection pool.
export const prisma = new PrismaClient({
  log: process.env.PRISMA_LOG === 'query' ? ['query', 'warn', 'error'] : ['warn', 'error'],
});
