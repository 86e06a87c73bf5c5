/**
 * The parts of packages the bundles leave out (lib/constructs/bundle-trims.ts): every replaced
 * import still exists in the package (an upgrade that moves it fails here, not silently), the
 * stand-ins throw a clear error if reached, and where a stand-in answers — JMESPath for the
 * idempotency configuration, ioredis's command table — it answers exactly as the real module.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { search as realSearch } from '@aws-lambda-powertools/jmespath';
import * as realCommands from '@ioredis/commands';
import { BUNDLE_TRIMS } from '../../lib/constructs/bundle-trims';
import { type CommandEntry, packCommandTable, unpackCommandTable } from '../../lib/constructs/bundle-trims/ioredis-commands';
import { search } from '../../lib/constructs/bundle-trims/jmespath';
import Cluster from '../../lib/constructs/bundle-trims/ioredis-cluster';
import SentinelConnector from '../../lib/constructs/bundle-trims/ioredis-sentinel';
import tlsProfiles from '../../lib/constructs/bundle-trims/ioredis-tls-profiles';
import { EventStreamSerde } from '../../lib/constructs/bundle-trims/smithy-event-streams';
import { Sha256Js } from '../../lib/constructs/bundle-trims/sha256-js';
import createDebug from '../../lib/constructs/bundle-trims/debug';
import EndpointLru from '../../lib/constructs/bundle-trims/endpoint-lru';
import MnemonistLru from 'mnemonist/lru-cache';
import commandTable from '@ioredis/commands/built/commands.json';

const ROOT = path.resolve(__dirname, '../..');

describe('bundle trims', () => {
  it('replace imports that exist in the packages as installed, with modules that exist', () => {
    const files: Record<string, string[]> = {
      'ioredis-cluster.ts': ['node_modules/ioredis/built/cluster/index.js'],
      'ioredis-sentinel.ts': ['node_modules/ioredis/built/connectors/SentinelConnector/index.js'],
      'ioredis-tls-profiles.ts': ['node_modules/ioredis/built/constants/TLSProfiles.js'],
      'debug.ts': ['node_modules/debug/package.json'],
      'cluster-key-slot.ts': ['node_modules/cluster-key-slot/package.json'],
      'redis-errors-old.ts': ['node_modules/redis-errors/lib/old.js'],
      'smithy-event-streams.ts': ['node_modules/@smithy/core/dist-es/submodules/event-streams/index.js'],
      'sha256-js.ts': ['node_modules/@smithy/core/dist-es/submodules/checksum/sha256/Sha256Js.js'],
      'jmespath.ts': ['node_modules/@aws-lambda-powertools/jmespath/lib/esm/index.js'],
      'endpoint-lru.ts': ['node_modules/mnemonist/lru-cache.js'],
    };
    expect(BUNDLE_TRIMS.map((trim) => trim.replacement).sort()).toEqual(Object.keys(files).sort());
    for (const trim of BUNDLE_TRIMS) {
      expect(existsSync(path.join(ROOT, 'lib/constructs/bundle-trims', trim.replacement))).toBe(true);
      for (const file of files[trim.replacement]) expect(existsSync(path.join(ROOT, file))).toBe(true);
    }
  });

  it('throw an error naming the part and the way back if a left-out part is ever reached', () => {
    expect(() => new Cluster()).toThrow(/ioredis Cluster is left out of this bundle .*lib\/constructs\/bundle-trims\.ts/);
    expect(() => new SentinelConnector()).toThrow(/SentinelConnector is left out/);
    expect(() => new EventStreamSerde()).toThrow(/event-streams EventStreamSerde is left out/);
    expect(() => new Sha256Js()).toThrow(/Sha256Js is left out/);
    expect(() => tlsProfiles.RedisCloudFixed).toThrow(/TLS profile 'RedisCloudFixed' is left out/);
    // ioredis looks up the profile of every connection: no profile is no profile.
    expect(tlsProfiles[String(undefined)]).toBeUndefined();
    expect(() => search('body.value', { body: { value: 1 } })).toThrow(/JMESPath expression 'body.value' is left out/);
  });

  it('stand in for `debug` with disabled loggers, as debug is when DEBUG is unset', () => {
    const log = createDebug('ioredis:redis');
    expect(log.enabled).toBe(false);
    expect(log('connecting', 1)).toBeUndefined();
    expect(log.extend('x').namespace).toBe('ioredis:redis:x');
  });

  it('answer the idempotency configuration’s expressions (`scope`, `body`) exactly as JMESPath does', () => {
    const requests: unknown[] = [
      { scope: 'PUT /v1/e/x|key', body: { value: [1, { a: null }], data_type: 'json' } },
      { scope: 'DELETE /v1/e/x|key', body: null },
      { scope: 'POST /v1/e/x|key', body: [] },
      { scope: '', body: 0 },
      {},
      null,
      'text',
      [1, 2],
    ];
    for (const data of requests)
      for (const expression of ['scope', 'body']) expect(search(expression, data)).toEqual(realSearch(expression, data as never));
  });

  it("give every question ioredis asks of its command table the real table's answer", () => {
    const real = commandTable as Record<string, CommandEntry>;
    let trimmed = realCommands;
    // @ioredis/commands' own index.js, loaded over the packed table as the bundles load it.
    jest.isolateModules(() => {
      jest.doMock('@ioredis/commands/built/commands.json', () => unpackCommandTable(packCommandTable(real)));
      trimmed = require('@ioredis/commands');
    });
    expect(trimmed).not.toBe(realCommands);
    expect(trimmed.list).toEqual(realCommands.list);
    const argumentLists = [
      [],
      ['k1'],
      ['k1', 'v'],
      ['2', 'k1', 'k2', 'v'],
      ['k1', '2', 'k2', 'k3', 'STORE', 'dest', 'STREAMS', 's1', 's2', '0', '0'],
    ];
    for (const name of realCommands.list) {
      expect(trimmed.exists(name)).toBe(true);
      for (const flag of ['loading', 'readonly']) expect(trimmed.hasFlag(name, flag)).toBe(realCommands.hasFlag(name, flag));
      for (const args of argumentLists) expect(trimmed.getKeyIndexes(name, args)).toEqual(realCommands.getKeyIndexes(name, args));
    }
    expect(trimmed.exists('no-such-command')).toBe(false);
  });

  it("keep the SDK's endpoint cache as mnemonist's LRU keeps it (recency by get and set, not by has or peek)", () => {
    const ours = new EndpointLru<string, number>(3);
    const theirs = new MnemonistLru<string, number>(3);
    const operations: [string, string, number][] = [];
    for (let i = 0; i < 400; i += 1) operations.push([['get', 'set', 'has', 'peek'][(i * 7) % 4], `k${(i * 13) % 6}`, i]);
    operations.push(['clear', '', 0], ['has', 'k1', 0]);
    for (const [operation, key, value] of operations) {
      const answer = (cache: EndpointLru<string, number> | MnemonistLru<string, number>) => {
        if (operation === 'set') return void cache.set(key, value);
        if (operation === 'clear') return void cache.clear();
        return cache[operation as 'get' | 'has' | 'peek'](key);
      };
      expect(answer(ours)).toEqual(answer(theirs));
    }
  });
});
