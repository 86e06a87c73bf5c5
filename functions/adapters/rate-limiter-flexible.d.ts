/**
 * Types for the three rate-limiter-flexible classes rate-limit.ts imports one by one. The package's
 * index requires every backend (Mongo, Postgres, MySQL, SQLite, DynamoDB, Etcd, …: ≈ 60 KB of each
 * bundle); each `lib/<Class>.js` is a CommonJS module whose export is the class the index re-exports.
 */
declare module 'rate-limiter-flexible/lib/RateLimiterMemory.js' {
  import { RateLimiterMemory } from 'rate-limiter-flexible';
  export = RateLimiterMemory;
}

declare module 'rate-limiter-flexible/lib/RateLimiterRedis.js' {
  import { RateLimiterRedis } from 'rate-limiter-flexible';
  export = RateLimiterRedis;
}

declare module 'rate-limiter-flexible/lib/RateLimiterRes.js' {
  import { RateLimiterRes } from 'rate-limiter-flexible';
  export = RateLimiterRes;
}
