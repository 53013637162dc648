/** Redis clients: ioredis, node-redis (camelCase commands too), Upstash, Nest wrappers. */
import { o, set, v, type Val } from '../clients/model';
import type { Library } from './library';

const READ = set(
  'get',
  'mget',
  'getbuffer',
  'getex',
  'getrange',
  'strlen',
  'hget',
  'hgetall',
  'hmget',
  'hkeys',
  'hvals',
  'hlen',
  'hexists',
  'exists',
  'ttl',
  'pttl',
  'type',
  'smembers',
  'sismember',
  'smismember',
  'scard',
  'srandmember',
  'lrange',
  'llen',
  'lindex',
  'zrange',
  'zrangebyscore',
  'zrevrange',
  'zrevrangebyscore',
  'zscore',
  'zmscore',
  'zrank',
  'zrevrank',
  'zcard',
  'zcount',
  'xrange',
  'xrevrange',
  'xlen',
  'pfcount',
  'geopos',
  'geodist',
  'georadius',
  'geosearch',
  'bitcount',
  'getbit',
  'dbsize',
  'json.get',
);
const WRITE = set(
  'set',
  'setex',
  'psetex',
  'setnx',
  'mset',
  'msetnx',
  'hset',
  'hmset',
  'hsetnx',
  'hdel',
  'hincrby',
  'hincrbyfloat',
  'del',
  'unlink',
  'incr',
  'incrby',
  'incrbyfloat',
  'decr',
  'decrby',
  'expire',
  'pexpire',
  'expireat',
  'pexpireat',
  'persist',
  'sadd',
  'srem',
  'spop',
  'smove',
  'lpush',
  'rpush',
  'lpushx',
  'rpushx',
  'lpop',
  'rpop',
  'lrem',
  'ltrim',
  'lset',
  'linsert',
  'zadd',
  'zrem',
  'zincrby',
  'zremrangebyscore',
  'zremrangebyrank',
  'getset',
  'getdel',
  'append',
  'setrange',
  'publish',
  'xadd',
  'xdel',
  'xtrim',
  'pfadd',
  'geoadd',
  'rename',
  'setbit',
  'json.set',
);
/** The batched Redis form of a per-key command. */
const BATCHED: Record<string, string> = {
  get: 'mget(keys)',
  set: 'mset(…) or one pipeline()',
  sismember: 'smismember(key, members)',
  hget: 'hmget(key, fields), or one pipeline() for many keys',
  del: 'del(...keys)',
  unlink: 'unlink(...keys)',
  exists: 'exists(...keys)',
};

const lowerCased = new Map<string, boolean>();

/** node-redis v4 spells commands in camelCase (`hGetAll`, `sIsMember`); answered once per distinct name, without allocating after that. */
function isCamelCommand(name: string): boolean {
  let known = lowerCased.get(name);
  if (known === undefined) {
    const lower = name.toLowerCase();
    known = lower !== name && (READ.has(lower) || WRITE.has(lower));
    if (lowerCased.size < 50_000) lowerCased.set(name, known);
  }
  return known;
}

const client: Val = { lib: 'redis', role: 'client' };

export const redis: Library = {
  id: 'redis',
  limits: {
    oneRow: ['get', 'getex', 'getdel', 'hget', 'exists', 'hexists', 'llen', 'scard', 'zcard', 'zcount', 'zscore'],
    // node-redis spells commands in camelCase too.
    ranges: ['lrange', 'zrange', 'zrevrange', 'lRange', 'zRange', 'zRevRange'],
    // A score range is a filter: `zrangebyscore(key, since, now)` reads what fell in a window, not the whole set.
    filters: {
      keyedByArgument: true,
      selecting: [
        'zrangebyscore',
        'zrevrangebyscore',
        'zrangebylex',
        'zrevrangebylex',
        'xrange',
        'xrevrange',
        'zRangeByScore',
        'zRevRangeByScore',
        'zRangeByLex',
        'zRevRangeByLex',
        'xRange',
        'xRevRange',
      ],
    },
  },
  modules: ['ioredis', 'redis', '@redis/client', '@upstash/redis', '@nestjs-modules/ioredis', '@liaoliaots/nestjs-redis'],
  client: {
    anchors: [...READ, ...WRITE],
    isAnchor: isCamelCommand,
    imported: ({ name, whole }) => {
      if (name === 'createClient' || name === 'createCluster') return { lib: 'redis', role: 'fn', name };
      if (name === 'Redis' || name === 'Cluster' || whole) return { lib: 'redis', role: 'class', name: 'Redis' };
      return undefined;
    },
    hints: { name: /redis/i, module: /redis/i, workspacePackage: true },
    construct: (made) => (made.role === 'class' ? client : undefined),
    invoke: (fn) => (fn.role === 'fn' && (fn.name === 'createClient' || fn.name === 'createCluster') ? v(client) : undefined),
    call: (val, name, _node, anchor) => {
      if (val.role === 'class' && name === 'fromEnv') return v(client);
      if (val.role !== 'client') return undefined;
      const command = name.toLowerCase();
      if (READ.has(command)) return o({ lib: 'redis', kind: 'query', method: name, anchor });
      if (WRITE.has(command)) return o({ lib: 'redis', kind: 'write', method: name, anchor });
      if (name === 'duplicate') return v(val);
      return undefined;
    },
    moduleCall: (_val, name) => (name === 'createClient' || name === 'createCluster' ? v(client) : undefined),
    typeReference: ({ right, fromLibrary }) =>
      fromLibrary && /^(Redis|Cluster|RedisClientType|RedisClusterType|RedisClient)$/.test(right) ? client : undefined,
    decorators: { InjectRedis: () => client },
    byType: {
      modules: ['ioredis', 'redis', '@redis/client'],
      path: /\/node_modules\/(ioredis|@redis\/client|redis)\//,
      methods: new Set([...READ, ...WRITE]),
      value: (name) => (/^(Redis|Cluster|RedisClientType|RedisClient.*)$/.test(name) ? client : undefined),
    },
  },
  batching: {
    methods: ['mget', 'mset', 'msetnx', 'hmget', 'smismember', 'zmscore', 'pipeline', 'multi', 'exec'],
    // Keys are text: an `IN (` or `$in` in a key says nothing.
    ignoresText: true,
    describe: (op) => BATCHED[op.method.toLowerCase()] ?? 'pipeline() (ioredis) / multi() (node-redis) round trip',
  },
};
