import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** The item attribute DynamoDB's TTL sweeper reads on the data tables (epoch seconds). */
export const DATA_TTL_ATTRIBUTE = 'expires_at';
/** Powertools' idempotency persistence layer defaults: key `id`, TTL `expiration`. */
export const IDEMPOTENCY_KEY = 'id';
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'expiration';

export interface DataTablesProps {
  /** Variables and references: RETAIN where the stage keeps users' data (staging, prod). */
  removalPolicy: RemovalPolicy;
  /** DynamoDB deletion protection on variables and references (prod). */
  deletionProtection: boolean;
}

/**
 * The service's three tables. All on-demand: test runs come in bursts and idle between them, so
 * provisioned capacity would be either throttled or wasted.
 */
export class DataTables extends Construct {
  /** Variables of an execution: head items, value chunks and the execution's data-version item. */
  readonly variables: dynamodb.Table;
  /** Lineage: which step read which variable; sort key is zero-padded step + ULID, so a Query is in step order. */
  readonly references: dynamodb.Table;
  /** Remembered responses of write requests carrying an Idempotency-Key (one hour). */
  readonly idempotency: dynamodb.Table;

  private readonly props: DataTablesProps;

  constructor(scope: Construct, id: string, props: DataTablesProps) {
    super(scope, id);
    this.props = props;

    this.variables = this.executionTable('Variables');
    this.references = this.executionTable('References');

    // Holds nothing a user would miss: losing it only forgets which writes were already answered,
    // so it goes with the stack instead of being retained.
    this.idempotency = new dynamodb.Table(this, 'Idempotency', {
      partitionKey: { name: IDEMPOTENCY_KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: IDEMPOTENCY_TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  get all(): dynamodb.Table[] {
    return [this.variables, this.references, this.idempotency];
  }

  /**
   * Keyed by execution so every read of an execution is one partition Query. TTL stands in for the
   * seed's monthly partition drops. The stage decides whether they outlive the stack (users' data).
   */
  private executionTable(id: string): dynamodb.Table {
    return new dynamodb.Table(this, id, {
      partitionKey: { name: 'execution_id', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: DATA_TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: this.props.removalPolicy,
      deletionProtection: this.props.deletionProtection,
    });
  }
}
