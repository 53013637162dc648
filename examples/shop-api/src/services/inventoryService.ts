import { Mutex } from 'async-mutex';
import { config } from '../lib/config';
import { fetchJson, UpstreamError } from '../lib/http';

interface StockLevel {
  sku: string;
  available: number;
  warehouse: string;
}

export interface Shipment {
  carrier: string;
  trackingNumber: string;
  status: 'label-created' | 'in-transit' | 'delivered';
}

export interface Reservation {
  id: string;
  orderId: string;
  expiresAt: string;
}

// What the warehouse last told us, so product pages do not ask it on every view.
const availability = new Map<string, number>();
const availabilityLock = new Mutex();

export async function availableUnits(sku: string): Promise<number | undefined> {
  return availabilityLock.runExclusive(() => availability.get(sku));
}

/** Pulls the warehouse's current stock figures for `skus` into the availability cache. */
export async function refreshAvailability(skus: string[]): Promise<number> {
  const levels: StockLevel[] = [];
  for (const sku of skus) {
    const response = await fetch(`${config.inventoryUrl}/v1/stock/${encodeURIComponent(sku)}`);
    if (response.ok) levels.push((await response.json()) as StockLevel);
  }
  // Readers see the whole refresh or none of it.
  await availabilityLock.runExclusive(() => {
    for (const level of levels) availability.set(level.sku, level.available);
  });
  return levels.length;
}

/** Holds the ordered units in the warehouse until the parcel is picked. */
export async function reserveStock(orderId: string, lines: Array<{ sku: string; quantity: number }>): Promise<Reservation> {
  const release = await availabilityLock.acquire();
  try {
    // Count the units as gone at once, so product pages stop offering them.
    for (const line of lines) availability.set(line.sku, Math.max(0, (availability.get(line.sku) ?? 0) - line.quantity));
    // Not fetchJson: a reservation is not idempotent, and a retry after a timeout could hold the units twice.
    const response = await fetch(`${config.warehouseUrl}/v1/reservations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId, lines }),
    });
    if (!response.ok) throw new UpstreamError(`${config.warehouseUrl}/v1/reservations`, response.status);
    return (await response.json()) as Reservation;
  } finally {
    release();
  }
}

/** Where the parcel of an order is, as the warehouse's carrier integration reports it. */
export async function shipmentOf(orderId: string): Promise<Shipment | null> {
  const shipments = await fetchJson<Shipment[]>(`${config.warehouseUrl}/v1/shipments?orderId=${encodeURIComponent(orderId)}`);
  return shipments[0] ?? null;
}
