'use strict';
/**
 * `story-load` (issue 12, item 4): STORY-013's load on this machine — 100 operations in flight, a
 * mix of store 30 % / get 30 % / list 15 % / suggestions 15 % / resolve 10 % over 50 executions of
 * 100 variables, against LOCAL_INSTANCES=2 workers with Redis (LOAD_REDIS_URL, default the
 * machine's 127.0.0.1:6379). Reports p95 per operation against the targets, the mixed throughput,
 * and CPU seconds per process (each worker, the primary, the database, redis-server) so the
 * limiting process can be named.
 */
const fs = require('node:fs');
const dataset = require('../dataset');
const { createClient, runPool } = require('../http');
const { seedBatches } = require('../seed');
const { Recorder } = require('../stats');
const { cpuMs, cmdline, ticksPerSecond } = require('../cost/proc-cpu');
const { descendants } = require('../server');

const OPERATIONS = Number(process.env.STORY_OPERATIONS) || 12_000;
const EXECUTIONS = 50;

/** Lambda's share of a vCPU at the functions' default memory (1,769 MB = 1 vCPU). */
const LAMBDA_MEMORY_MB = 512;
const LAMBDA_VCPU = LAMBDA_MEMORY_MB / 1769;

/**
 * How the same load spreads over Lambda: one request per instance at a time, so 100 in flight are
 * about 100 instances, each spending this run's server CPU per operation on a fraction of a vCPU.
 */
function lambdaSpread(cpu, operations, seconds, machineBusyShare) {
  const serverCpuS = cpu.filter((p) => /^server /.test(p.endpoint)).reduce((sum, p) => sum + p.cpu_s, 0);
  const processes = cpu.filter((p) => !/^(all of|the whole|other processes)/.test(p.endpoint));
  const busiest = [...processes].sort((a, b) => b.cpu_s - a.cpu_s)[0];
  const perOperationMs = (1000 * serverCpuS) / Math.max(operations, 1);
  const busyPercent = Math.round(100 * machineBusyShare);
  const busiestText = busiest ? `${busiest.endpoint} at ${busiest.cpu_percent_of_one_core} % of a core` : '-';
  const limit =
    machineBusyShare > 0.9
      ? `the machine's CPU: its cores were ${busyPercent} % busy, so every process waited for a core; ` +
        `of this run's processes ${busiestText}`
      : `${busiestText} (the machine's cores were ${busyPercent} % busy)`;
  const rate = operations / seconds;
  const computeMs = perOperationMs / LAMBDA_VCPU;
  const busyInstances = Math.ceil((rate * perOperationMs) / 1000 / LAMBDA_VCPU);
  return [
    `\nlimiting resource: ${limit}`,
    `server CPU per operation (both workers): ${perOperationMs.toFixed(2)} ms; ` +
      `the workers together used ${((100 * serverCpuS) / seconds).toFixed(0)} % of a core`,
    `on Lambda: 100 in flight = about 100 instances (one request each); at ${LAMBDA_MEMORY_MB} MB ` +
      `(${LAMBDA_VCPU.toFixed(2)} vCPU) an operation's ${perOperationMs.toFixed(2)} ms of CPU takes about ` +
      `${computeMs.toFixed(1)} ms of compute, plus its DynamoDB/Redis round trips; ${Math.round(rate)} ops/s would ` +
      `need about ${busyInstances} instances' worth of vCPU busy, the rest of the 100 waiting on I/O`,
  ];
}

/** The whole machine's CPU time so far, busy and all, in ms (first line of /proc/stat, every core). */
function machineCpuMs() {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
  const tick = 1000 / ticksPerSecond;
  return {
    busy: (user + nice + system + irq + softirq + steal) * tick,
    all: (user + nice + system + idle + iowait + irq + softirq + steal) * tick,
  };
}

function redisPids() {
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => /^redis-server/.test(cmdline(pid)));
}

module.exports = {
  description: 'STORY-013 mixed load: 100 in flight, 2 instances + Redis; p95 per operation vs targets, throughput, CPU per process',
  async run(ctx) {
    const redisUrl = process.env.LOAD_REDIS_URL || 'redis://127.0.0.1:6379';
    if (!/^redis:\/\/127\.0\.0\.1[:/]/.test(redisUrl)) throw new Error('LOAD_REDIS_URL must point at 127.0.0.1');
    const server = await ctx.startServer({ LOCAL_INSTANCES: '2', REDIS_URL: redisUrl }, 'two instances + Redis');
    const client = createClient(server.baseUrl, { connections: 100 });
    const tag = ctx.runTag;
    try {
      const batches = Array.from({ length: EXECUTIONS }, (_, e) => ({
        executionId: `${tag}-s${e}`,
        variables: Array.from({ length: 100 }, (_, i) => ({
          variable_name: dataset.seededName(i),
          value: dataset.smallObject(i),
          source_step_index: i,
          source_api_method: 'aiQuery',
        })),
      }));
      await seedBatches(client, batches, { label: 'seeding' });
      await seedBatches(client, [{ executionId: `${tag}-refs`, variables: dataset.referenceVariables() }], { label: 'seeding references' });
      const pick = (i) => {
        const e = `${tag}-s${i % EXECUTIONS}`;
        const r = i % 20;
        if (r < 6)
          return [
            'store',
            'PUT',
            `/executions/${e}/variables/w_${i % 20}`,
            { value: dataset.smallObject(i), source_step_index: 150, source_api_method: 'aiQuery' },
          ];
        if (r < 12) return ['get', 'GET', `/executions/${e}/variables/${dataset.seededName(i % 100)}`];
        if (r < 15) return ['list', 'GET', `/executions/${e}/variables?limit=100`];
        if (r < 18) return ['suggestions', 'GET', `/executions/${e}/variable-suggestions?limit=100`];
        return [
          'resolve',
          'POST',
          `/executions/${tag}-refs/resolve`,
          { step_index: dataset.REFERENCE_STEP, params: dataset.resolveParams(), record: false },
        ];
      };
      await runPool({
        count: 1000,
        concurrency: 100,
        operation: async (i) => {
          const [, m, p, b] = pick(i);
          await client.request(m, p, b);
        },
      });
      const processes = [server.pid, ...descendants(server.pid)];
      const labelOf = (pid) =>
        /dynamodb-process/.test(cmdline(pid))
          ? 'database'
          : pid === server.pid
            ? 'tsx wrapper'
            : cmdline(pid).includes('local-server')
              ? `server ${pid}`
              : `other ${pid}`;
      const watched = [...processes.map((pid) => [labelOf(pid), pid]), ...redisPids().map((pid) => [`redis-server ${pid} (shared)`, pid])];
      const before = watched.map(([, pid]) => cpuMs(pid));
      const machineBefore = machineCpuMs();
      const generatorBefore = process.cpuUsage();
      const recorder = new Recorder();
      const t0 = Date.now();
      await runPool({
        count: OPERATIONS,
        concurrency: 100,
        deadline: Date.now() + 420_000,
        operation: async (i) => {
          const [name, m, p, b] = pick(i + 1000);
          recorder.record(name, await client.request(m, p, b));
        },
      });
      const seconds = (Date.now() - t0) / 1000;
      const machineAfter = machineCpuMs();
      const generator = process.cpuUsage(generatorBefore);
      const rows = recorder.rows();
      const total = rows.reduce((s, r) => s + r.requests, 0);
      const cpu = watched.map(([label, pid], k) => ({
        endpoint: label,
        cpu_s: Math.round(cpuMs(pid) - before[k]) / 1000,
        cpu_percent_of_one_core: Math.round((100 * (cpuMs(pid) - before[k])) / 1000 / seconds),
      }));
      const generatorS = (generator.user + generator.system) / 1e6;
      cpu.push({
        endpoint: 'load generator (this process)',
        cpu_s: Math.round(generatorS * 1000) / 1000,
        cpu_percent_of_one_core: Math.round((100 * generatorS) / seconds),
      });
      const ours = cpu.reduce((sum, p) => sum + p.cpu_s, 0);
      const machineBusyS = (machineAfter.busy - machineBefore.busy) / 1000;
      const machineAllS = (machineAfter.all - machineBefore.all) / 1000;
      cpu.push(
        {
          endpoint: 'all of the above',
          cpu_s: Math.round(ours * 1000) / 1000,
          cpu_percent_of_one_core: Math.round((100 * ours) / seconds),
        },
        {
          endpoint: 'the whole machine (every core)',
          cpu_s: Math.round(machineBusyS * 1000) / 1000,
          cpu_percent_of_one_core: Math.round((100 * machineBusyS) / seconds),
        },
        {
          endpoint: 'other processes (machine - above)',
          cpu_s: Math.round((machineBusyS - ours) * 1000) / 1000,
          cpu_percent_of_one_core: Math.round((100 * (machineBusyS - ours)) / seconds),
        },
      );
      const machineBusyShare = machineAllS > 0 ? machineBusyS / machineAllS : 0;
      return {
        tables: [
          {
            title:
              `STORY-013 mix, 100 in flight, 2 instances + Redis: ${total} operations in ` +
              `${seconds.toFixed(1)} s = ${Math.round(total / seconds)} ops/s`,
            rows,
            targetOf: { store: 'store', get: 'get', list: 'list', suggestions: 'suggestions' },
          },
          {
            title: 'CPU per process during the measured load (100 % = one core; the machine has 2)',
            rows: cpu,
            columns: [
              ['endpoint', 'process'],
              ['cpu_s', 'CPU s'],
              ['cpu_percent_of_one_core', '% of a core'],
            ],
          },
        ],
        notes: lambdaSpread(cpu, total, seconds, machineBusyShare),
        details: { throughput_ops: total / seconds, seconds, operations: total, cpu },
      };
    } finally {
      client.close();
    }
  },
};
