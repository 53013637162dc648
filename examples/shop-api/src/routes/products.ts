import { Router } from 'express';
import { z } from 'zod';
import { prisma } from '../lib/db';
import { searchProducts } from '../services/catalogService';
import { availableUnits, refreshAvailability } from '../services/inventoryService';
import { stockBySku } from '../services/pricingService';

export const productsRouter = Router();

const refreshBody = z.object({ skus: z.array(z.string().min(1)).min(1).max(500) });

productsRouter.get('/search', async (req, res) => {
  const query = String(req.query.q ?? '').trim();
  if (query.length < 2) return res.status(400).json({ error: 'q needs at least two characters' });
  const category = typeof req.query.category === 'string' ? req.query.category : undefined;
  res.json(await searchProducts({ query, category, limit: 20 }));
});

productsRouter.get('/stock', async (req, res) => {
  const products = await prisma.product.findMany({ where: { active: true }, select: { sku: true, stock: true } });
  res.set('cache-control', 'public, max-age=30').json(stockBySku(products));
});

productsRouter.get('/:sku/availability', async (req, res) => {
  const units = await availableUnits(req.params.sku);
  if (units === undefined) return res.status(404).json({ error: 'not tracked by the warehouse' });
  res.json({ sku: req.params.sku, units });
});

// Called by the warehouse's webhook after a delivery was booked in.
productsRouter.post('/availability/refresh', async (req, res) => {
  const { skus } = refreshBody.parse(req.body);
  res.json({ refreshed: await refreshAvailability(skus) });
});
