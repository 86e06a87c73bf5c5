/**
 * Stands in for ioredis/built/connectors/SentinelConnector inside the bundles. Contract: the
 * service's Redis URL names one endpoint and never passes `sentinels`, the only case in which
 * ioredis constructs this connector (Redis.js).
 */
import { unusedPart } from './unused';

export default class SentinelConnector {
  constructor() {
    throw unusedPart('ioredis SentinelConnector', 'the service never passes `sentinels`');
  }
}

export class SentinelIterator {
  constructor() {
    throw unusedPart('ioredis SentinelIterator', 'the service never passes `sentinels`');
  }
}
