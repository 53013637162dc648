/** Redis clients: ioredis, node-redis (camelCase commands too), Upstash, Nest wrappers. */
import { o, set, v, type Op, type StepResult, type Val } from './model';

export const REDIS_READ = set(
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
export const REDIS_WRITE = set(
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
const REDIS_BATCHED: Record<string, string> = {
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
export function isCamelRedisCommand(name: string): boolean {
  let known = lowerCased.get(name);
  if (known === undefined) {
    const lower = name.toLowerCase();
    known = lower !== name && (REDIS_READ.has(lower) || REDIS_WRITE.has(lower));
    if (lowerCased.size < 50_000) lowerCased.set(name, known);
  }
  return known;
}

export function redisCall(val: Val, name: string, anchor: number): StepResult {
  if (val.role === 'class' && name === 'fromEnv') return v({ lib: 'redis', role: 'client' });
  if (val.role !== 'client') return undefined;
  const command = name.toLowerCase();
  if (REDIS_READ.has(command)) return o({ lib: 'redis', kind: 'query', method: name, anchor });
  if (REDIS_WRITE.has(command)) return o({ lib: 'redis', kind: 'write', method: name, anchor });
  if (name === 'duplicate') return v(val);
  return undefined;
}

export function redisBatched(op: Op): string {
  return REDIS_BATCHED[op.method.toLowerCase()] ?? 'pipeline() (ioredis) / multi() (node-redis) round trip';
}
