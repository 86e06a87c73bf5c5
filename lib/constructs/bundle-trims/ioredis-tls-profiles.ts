/**
 * Stands in for ioredis/built/constants/TLSProfiles (8 KB of CA certificates for the named
 * `tls.profile` options, e.g. 'RedisCloudFixed'). Contract: the service never sets `tls.profile`;
 * rediss:// URLs use Node's own CA store. ioredis looks up `profiles[tls?.profile]` on every
 * connect, so the lookup of no profile answers `undefined` and the lookup of any named one throws.
 */
import { unusedPart } from './unused';

const profiles: Record<string, unknown> = new Proxy(
  {},
  {
    get(_target, name) {
      if (name === 'undefined' || typeof name === 'symbol') return undefined;
      throw unusedPart(`ioredis TLS profile '${name}'`, 'the service never sets tls.profile');
    },
  },
);

export default profiles;
