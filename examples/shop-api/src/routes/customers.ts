import { Router } from 'express';
import { getCustomerOverview } from '../services/orderService';

export const customersRouter = Router();

customersRouter.get('/:customerId/overview', async (req, res) => {
  res.json(await getCustomerOverview(req.params.customerId));
});
