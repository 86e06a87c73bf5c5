import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ROUTES } from '#functions/routes';
import { ALARM, CACHE_ALARM_AT, CACHE_LIMITS, LATENCY_P95_THRESHOLD_MS } from '../constants';
import type { ApiFunctions } from './api-functions';
import type { CacheNetwork } from './cache-network';
import type { DataTables } from './data-tables';
import type { VariableHttpApi } from './http-api';
import { errorRatePercent, latencyMetric } from './service-metrics';

export interface ServiceAlarmsProps {
  functions: ApiFunctions;
  api: VariableHttpApi;
  tables: DataTables;
  network: CacheNetwork;
}

/**
 * The alarms that hold the service to its documented targets (DESIGN.md, Observability). They all
 * notify one topic; subscribe whoever is on call to it.
 */
export class ServiceAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Variable service alarms' });

    this.latencyAlarms();
    this.errorRateAlarms();
    this.platformAlarms(props);
    this.cacheAlarms(props.network);

    const notify = new actions.SnsAction(this.topic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
  }

  private latencyAlarms(): void {
    const operations = new Set(ROUTES.map((route) => route.operation));
    for (const [operation, thresholdMs] of Object.entries(LATENCY_P95_THRESHOLD_MS)) {
      // A target for an operation the route table no longer has would watch a metric nobody emits.
      if (!operations.has(operation)) throw new Error(`Latency target for unknown operation '${operation}'`);
      this.add(`${operation}LatencyP95`, latencyMetric(operation), {
        threshold: thresholdMs,
        alarmDescription: `${operation}: p95 latency above ${thresholdMs} ms`,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
  }

  private errorRateAlarms(): void {
    for (const route of ROUTES) {
      this.add(`${route.operation}ErrorRate`, errorRatePercent(route.operation), {
        threshold: ALARM.errorRatePercent,
        alarmDescription: `${route.operation}: more than ${ALARM.errorRatePercent} % of requests failed`,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
  }

  private platformAlarms({ functions, api, tables }: ServiceAlarmsProps): void {
    this.add('Api5xx', api.httpApi.metricServerError({ period: ALARM.period, statistic: 'Sum' }), {
      threshold: ALARM.api5xxCount,
      alarmDescription: `API answered ${ALARM.api5xxCount} or more 5xx in a minute`,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // Per function: alarms take at most 10 metrics, and the account-wide metric would count other services.
    for (const fn of functions.all) {
      const operation = fn.node.id;
      this.add(`${operation}Throttles`, fn.metricThrottles({ period: ALARM.period, statistic: 'Sum' }), {
        threshold: ALARM.lambdaThrottles,
        alarmDescription: `${operation}: Lambda throttled invocations (concurrency exhausted)`,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    for (const table of tables.all) {
      const name = table.node.id;
      const throttleEvents = new cloudwatch.MathExpression({
        expression: 'FILL(reads, 0) + FILL(writes, 0)',
        usingMetrics: {
          reads: table.metric('ReadThrottleEvents', { period: ALARM.period, statistic: 'Sum' }),
          writes: table.metric('WriteThrottleEvents', { period: ALARM.period, statistic: 'Sum' }),
        },
        period: ALARM.period,
        label: `${name} throttle events`,
      });
      this.add(`${name}TableThrottles`, throttleEvents, {
        threshold: ALARM.dynamoThrottleEvents,
        alarmDescription: `DynamoDB ${name} table: read/write requests throttled`,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
  }

  private cacheAlarms(network: CacheNetwork): void {
    const cacheMetric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache',
        metricName,
        // Serverless caches publish under their name as `clusterId`.
        dimensionsMap: { clusterId: network.cacheName },
        statistic,
        period: ALARM.period,
      });

    this.add('CacheMemory', cacheMetric('BytesUsedForCache', 'Maximum'), {
      threshold: CACHE_ALARM_AT.bytesUsed,
      alarmDescription: `Valkey data above ${ALARM.cacheMemoryRatio * 100} % of its ${CACHE_LIMITS.dataStorageGb} GB limit`,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // ECPUs are reported as a count per period; the limit is per second.
    const ecpuPerSecond = new cloudwatch.MathExpression({
      expression: 'ecpu / PERIOD(ecpu)',
      usingMetrics: { ecpu: cacheMetric('ElastiCacheProcessingUnits', 'Sum') },
      period: ALARM.period,
      label: 'ECPU per second',
    });
    this.add('CacheProcessingUnits', ecpuPerSecond, {
      threshold: CACHE_ALARM_AT.ecpuPerSecond,
      alarmDescription: `Valkey ECPU above ${ALARM.cacheEcpuRatio * 100} % of its ${CACHE_LIMITS.ecpuPerSecond}/s limit`,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  private add(
    id: string,
    metric: cloudwatch.IMetric,
    options: Pick<cloudwatch.CreateAlarmOptions, 'threshold' | 'alarmDescription' | 'treatMissingData' | 'comparisonOperator'>,
  ): void {
    this.alarms.push(
      new cloudwatch.Alarm(this, id, {
        metric,
        // Thresholds are limits: being above one is the breach; counts say "or more" explicitly.
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        ...options,
        evaluationPeriods: ALARM.evaluationPeriods,
        datapointsToAlarm: ALARM.datapointsToAlarm,
      }),
    );
  }
}
