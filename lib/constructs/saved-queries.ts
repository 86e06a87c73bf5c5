import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface SavedQueriesProps {
  /** The functions' log groups (JSON: Powertools lines and Lambda's platform records). */
  functionLogs: logs.ILogGroup[];
  /** The HTTP API's access log. */
  accessLogs: logs.ILogGroup;
  /** Folder-like prefix in the Logs Insights console, e.g. `VariableService-prod`. */
  prefix: string;
}

/**
 * The Logs Insights queries docs/operations.md sends an operator to first, saved in the stack so
 * they are one click away (Logs Insights → Saved queries → `<stack>/…`) and never out of date with
 * the log groups. None of them reads a variable's value: the logs never hold one.
 */
export const QUERY = {
  slowRequests: 'slow-requests',
  failedRequests: 'failed-requests',
  dependencyEvents: 'dependency-events',
  unhandledErrors: 'unhandled-errors',
  coldStartsAndTimeouts: 'cold-starts-and-timeouts',
  gatewayRefusals: 'gateway-refusals',
} as const;

export class SavedQueries extends Construct {
  readonly definitions: logs.QueryDefinition[] = [];

  constructor(scope: Construct, id: string, props: SavedQueriesProps) {
    super(scope, id);
    const fnLogs = props.functionLogs;
    this.add(props.prefix, QUERY.slowRequests, fnLogs, {
      filterStatements: ['message = "request handled"'],
      statsStatements: [
        'count(*) as requests, pct(latency_ms, 50) as p50, pct(latency_ms, 95) as p95, ' +
          'pct(latency_ms, 99) as p99, max(latency_ms) as worst by operation',
      ],
      sort: 'p95 desc',
    });
    this.add(props.prefix, QUERY.failedRequests, fnLogs, {
      filterStatements: ['message = "request handled" and status >= 400'],
      statsStatements: ['count(*) as answers by operation, status, bin(5m)'],
      sort: 'answers desc',
    });
    this.add(props.prefix, QUERY.dependencyEvents, fnLogs, {
      fields: ['@timestamp', '@log', 'message', 'dependency', 'state', 'code', 'reason', 'operation', 'error_name', 'record_count'],
      filterStatements: [
        'message in ["circuit breaker changed state", "request failed on a dependency", "lineage write ' +
          'failed", "cache operation failed", "answering in degraded mode"]',
      ],
      sort: '@timestamp desc',
      limit: 200,
    });
    this.add(props.prefix, QUERY.unhandledErrors, fnLogs, {
      fields: ['@timestamp', '@log', 'error_name', 'stack', 'xray_trace_id'],
      filterStatements: ['message = "unhandled error"'],
      sort: '@timestamp desc',
      limit: 100,
    });
    this.add(props.prefix, QUERY.coldStartsAndTimeouts, fnLogs, {
      filterStatements: ['type = "platform.report"'],
      statsStatements: [
        // record.status is success | error | timeout; a timeout or crash shows as its own row.
        'count(*) as invocations, count(record.metrics.initDurationMs) as cold_starts, ' +
          'pct(record.metrics.initDurationMs, 95) as init_p95, pct(record.metrics.durationMs, 99) as duration_p99, ' +
          'max(record.metrics.maxMemoryUsedMB) as max_memory_mb by @log, record.status',
      ],
      sort: 'duration_p99 desc',
    });
    this.add(props.prefix, QUERY.gatewayRefusals, [props.accessLogs], {
      filterStatements: ['status >= 400'],
      statsStatements: ['count(*) as answers by status, routeKey, authorizerError, error'],
      sort: 'answers desc',
    });
  }

  private add(prefix: string, name: string, logGroups: logs.ILogGroup[], query: logs.QueryStringProps): void {
    this.definitions.push(
      new logs.QueryDefinition(this, name, {
        queryDefinitionName: `${prefix}/${name}`,
        queryString: new logs.QueryString(query),
        logGroups,
      }),
    );
  }
}
