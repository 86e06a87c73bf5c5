'use strict';
/**
 * The yardstick: a bare `GetItemCommand` through the AWS SDK v3 with a default client, run in its
 * own process against the server's embedded database, with the same concurrency as the routes.
 * Prints one JSON line: its own CPU ms per call, the database's CPU ms per call, latencies.
 *
 * argv: <repositoryRoot> <endpoint> <table> <databasePid> <count> <concurrency> <warmup>
 */
const { createRequire } = require('node:module');
const path = require('node:path');
const { cpuMs } = require('./proc-cpu');
const { Recorder } = require('../stats');

async function main() {
  const [root, endpoint, table, databasePid, count, concurrency, warmup] = process.argv.slice(2);
  const requireFromRoot = createRequire(path.join(root, 'package.json'));
  const { DynamoDBClient, GetItemCommand, ScanCommand, DescribeTableCommand } = requireFromRoot('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const described = await client.send(new DescribeTableCommand({ TableName: table }));
  const keyNames = described.Table.KeySchema.map((k) => k.AttributeName);
  const scan = await client.send(new ScanCommand({ TableName: table, Limit: 1 }));
  if (!scan.Items?.length) throw new Error(`table ${table} is empty: seed first`);
  const Key = Object.fromEntries(keyNames.map((name) => [name, scan.Items[0][name]]));
  const call = () => client.send(new GetItemCommand({ TableName: table, Key, ConsistentRead: true }));

  const run = async (n, recorder) => {
    let next = 0;
    const lane = async () => {
      while (next < n) {
        next += 1;
        const started = process.hrtime.bigint();
        let status = 200;
        try {
          await call();
        } catch {
          status = 500;
        }
        recorder?.record('bare', { status, ms: Number(process.hrtime.bigint() - started) / 1e6 }, [200]);
      }
    };
    await Promise.all(Array.from({ length: Number(concurrency) }, lane));
  };
  await run(Number(warmup));
  const recorder = new Recorder();
  const ownBefore = process.cpuUsage();
  const dbBefore = cpuMs(Number(databasePid));
  const t0 = process.hrtime.bigint();
  await run(Number(count), recorder);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const own = process.cpuUsage(ownBefore);
  const dbMs = cpuMs(Number(databasePid)) - dbBefore;
  const [row] = recorder.rows();
  const summary = {
    ...row,
    cpu_ms_per_request: (own.user + own.system) / 1000 / Number(count),
    db_cpu_ms_per_request: dbMs / Number(count),
    throughput_rps: Number(count) / seconds,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  client.destroy();
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error.message}\n`);
  process.exit(1);
});
