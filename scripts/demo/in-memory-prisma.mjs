// Stands in for `@prisma/client` when `npm run demo` runs the example service's code under the
// profiler: no database here, so the few queries the load touches answer from memory. Only what
// scripts/demo/shop-load.mjs calls is implemented; anything else fails loudly.
export class PrismaClient {
  constructor() {
    this.product = {
      findMany: async ({ where = {} } = {}) =>
        PrismaClient.products.filter(
          (product) =>
            (where.active === undefined || product.active === where.active) &&
            (where.category === undefined || product.category === where.category),
        ),
    };
    return new Proxy(this, {
      get(target, name) {
        if (name in target || typeof name === 'symbol' || name === 'then') return target[name];
        throw new Error(`the demo's in-memory Prisma does not implement prisma.${String(name)}`);
      },
    });
  }
}

/** The catalogue every client answers from; shop-load.mjs fills it before the load starts. */
PrismaClient.products = [];
