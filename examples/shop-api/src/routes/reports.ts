import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { config } from '../lib/config';
import { dailySales, salesCsv } from '../services/reportService';

export const reportsRouter = Router();

reportsRouter.get('/daily-sales.csv', async (req, res) => {
  const to = req.query.to ? new Date(String(req.query.to)) : new Date();
  const from = req.query.from ? new Date(String(req.query.from)) : new Date(to.getTime() - 30 * 86_400_000);
  const rows = await dailySales(from, to);
  res.type('text/csv').attachment('daily-sales.csv').send(salesCsv(rows, config.currency));
});

// Finance downloads the nightly exports the accounting job writes.
reportsRouter.get('/exports/:name', (req, res) => {
  const name = path.basename(req.params.name);
  if (!name.endsWith('.csv')) return res.status(400).json({ error: 'only CSV exports can be downloaded' });
  try {
    const csv = readFileSync(path.join(config.exportDir, name));
    res.type('text/csv').attachment(name).send(csv);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    res.status(404).json({ error: 'no such export' });
  }
});
