import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FALLBACK_ROUTE, ROUTES } from '#functions/routes';
import { DEFAULT_MEMORY_MB, FUNCTION_TIMEOUT, REQUEST_BUDGET_MS } from '../constants';
import { acknowledgeApiFunction } from '../nag';
import { serviceEnvironment, serviceFunctionProps } from './service-function';
import type { StageConfig } from '../stages';
import type { CacheNetwork } from './cache-network';
import type { DataTables } from './data-tables';
import { type TableAccess, grantTableAccess, tableAccessFor } from './table-access';

export interface ApiFunctionsProps {
  tables: DataTables;
  network: CacheNetwork;
  stage: StageConfig;
  serviceVersion: string;
  /** Repository root: handler entries, package-lock.json and tsconfig.json are resolved from here. */
  projectRoot: string;
}

/**
 * One function per route of functions/routes.ts, plus the fallback behind `$default`. One function
 * per route keeps each role down to the tables its route needs and lets memory follow the route.
 */
export class ApiFunctions extends Construct {
  /** By route operation (ROUTES[].operation). */
  readonly byOperation = new Map<string, lambda.Function>();
  readonly fallback: lambda.Function;
  /** Each function's own log group, by operation (metric filters and saved queries read them). */
  readonly logGroups = new Map<string, logs.LogGroup>();

  private readonly props: ApiFunctionsProps;

  constructor(scope: Construct, id: string, props: ApiFunctionsProps) {
    super(scope, id);
    this.props = props;

    for (const route of ROUTES) {
      const access = tableAccessFor(route);
      const fn = this.createFunction(route.operation, route.handler, route.memoryMb, warmUpTable(props.tables, access));
      grantTableAccess(props.tables, access, fn);
      this.byOperation.set(route.operation, fn);
    }
    // Answers 404/405 from the service's own error catalogue; touches no table.
    this.fallback = this.createFunction(FALLBACK_ROUTE.operation, FALLBACK_ROUTE.handler, undefined, undefined);
  }

  get all(): lambda.Function[] {
    return [...this.byOperation.values(), this.fallback];
  }

  forOperation(operation: string): lambda.Function {
    const fn = this.byOperation.get(operation);
    if (!fn) throw new Error(`No function for operation '${operation}'`);
    return fn;
  }

  private createFunction(
    operation: string,
    handler: string,
    memoryMb: number | undefined,
    warmUpTableName: string | undefined,
  ): lambda.Function {
    const { tables, network, projectRoot, stage } = this.props;

    // An explicit log group, so retention is set by the stack rather than left at "never expire".
    const logGroup = new logs.LogGroup(this, `${operation}Logs`, { retention: stage.logRetention, removalPolicy: stage.dataRemovalPolicy });
    this.logGroups.set(operation, logGroup);

    const fn = new lambda.Function(this, operation, {
      ...serviceFunctionProps({ projectRoot, handler, stage, network, logGroup }),
      memorySize: memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: FUNCTION_TIMEOUT,
      reservedConcurrentExecutions: stage.reservedConcurrency,
      environment: {
        VARIABLES_TABLE: tables.variables.tableName,
        REFERENCES_TABLE: tables.references.tableName,
        IDEMPOTENCY_TABLE: tables.idempotency.tableName,
        REDIS_URL: network.redisUrl,
        CORS_ORIGINS: stage.corsOrigins.join(','),
        RATE_LIMIT_PER_MINUTE: String(stage.rateLimitPerMinute),
        RETENTION_DAYS: String(stage.dataRetentionDays),
        ...serviceEnvironment(stage),
        REQUEST_BUDGET_MS: String(REQUEST_BUDGET_MS),
        // An instance runs one request at a time: the request's budget signal is a plain variable, not AsyncLocalStorage.
        ONE_REQUEST_AT_A_TIME: 'true',
        // The table the init's DynamoDB warm-up reads (one the role may read); none for functions without a table.
        ...(warmUpTableName ? { WARM_UP_TABLE: warmUpTableName } : {}),
        SERVICE_VERSION: this.props.serviceVersion,
      },
    });
    acknowledgeApiFunction(fn, fn.role);
    return fn;
  }
}

/** A table the function's role may read, for the init's warm-up read (functions/composition/init-work.ts). */
function warmUpTable(tables: DataTables, access: TableAccess): string | undefined {
  if (access.variables === 'read' || access.variables === 'readWrite') return tables.variables.tableName;
  if (access.references === 'read' || access.references === 'readWrite') return tables.references.tableName;
  return undefined;
}
