import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface ShopConfig {
  port: number;
  /** ISO 4217 code every price in the database is stored in. */
  currency: string;
  inventoryUrl: string;
  warehouseUrl: string;
  templateDir: string;
  invoiceDir: string;
  exportDir: string;
}

const projectRoot = path.resolve(__dirname, '..', '..');
const configFile = process.env.SHOP_CONFIG ?? path.join(projectRoot, 'config', 'shop.json');

// Read once while the process boots, before the server accepts a connection.
const fromFile = JSON.parse(readFileSync(configFile, 'utf8')) as Partial<ShopConfig>;

function required<K extends keyof ShopConfig>(key: K): ShopConfig[K] {
  const value = fromFile[key];
  if (value === undefined) throw new Error(`${configFile}: "${key}" is missing`);
  return value as ShopConfig[K];
}

export const config: ShopConfig = {
  port: Number(process.env.PORT ?? required('port')),
  currency: required('currency'),
  inventoryUrl: process.env.INVENTORY_URL ?? required('inventoryUrl'),
  warehouseUrl: process.env.WAREHOUSE_URL ?? required('warehouseUrl'),
  templateDir: path.resolve(projectRoot, required('templateDir')),
  invoiceDir: path.resolve(projectRoot, required('invoiceDir')),
  exportDir: path.resolve(projectRoot, required('exportDir')),
};
