import express, { type NextFunction, type Request, type Response } from 'express';
import { ZodError } from 'zod';
import { config } from './lib/config';
import { prisma } from './lib/db';
import { customersRouter } from './routes/customers';
import { ordersRouter } from './routes/orders';
import { productsRouter } from './routes/products';
import { reportsRouter } from './routes/reports';
import { UnknownProductError } from './services/pricingService';
import { OutOfStockError } from './services/orderService';

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '256kb' }));

app.get('/healthz', async (_req, res) => {
  await prisma.$queryRaw`SELECT 1`;
  res.json({ status: 'ok' });
});

app.use('/orders', ordersRouter);
app.use('/customers', customersRouter);
app.use('/products', productsRouter);
app.use('/reports', reportsRouter);

app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
  if (error instanceof ZodError) return res.status(400).json({ error: 'invalid request', issues: error.issues });
  if (error instanceof UnknownProductError) return res.status(422).json({ error: error.message });
  if (error instanceof OutOfStockError) return res.status(409).json({ error: error.message, sku: error.sku });
  console.error(error);
  res.status(500).json({ error: 'internal error' });
});

const server = app.listen(config.port, () => {
  console.log(`shop-api listening on :${config.port}`);
});

// Deploys send SIGTERM: finish the requests in flight, then close the connection pool.
process.on('SIGTERM', () => {
  server.close(() => {
    void prisma.$disconnect().finally(() => process.exit(0));
  });
});
