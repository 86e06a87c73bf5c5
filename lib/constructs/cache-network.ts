import { Fn, Names, type RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CACHE_LIMITS } from '../constants';

/** Valkey's port on ElastiCache Serverless (the primary endpoint; 6380 is the replica reader we do not use). */
export const CACHE_PORT = 6379;

export interface CacheNetworkProps {
  logRetention: logs.RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * The private network the functions and the cache share.
 *
 * Isolated subnets only: the functions talk to DynamoDB through a gateway endpoint and to Valkey
 * inside the VPC, so there is nothing a NAT gateway would be paid for. Logs and EMF metrics leave
 * through the Lambda service (stdout), not the function's network interface.
 */
export class CacheNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly flowLogs: logs.LogGroup;
  /** Worn by every function; the cache admits only this group. */
  readonly functionSecurityGroup: ec2.SecurityGroup;
  readonly cacheSecurityGroup: ec2.SecurityGroup;
  readonly cache: elasticache.CfnServerlessCache;
  /** The name CloudWatch publishes the cache's metrics under (dimension `clusterId`). */
  readonly cacheName: string;
  /** `rediss://` — ElastiCache Serverless only accepts TLS connections. */
  readonly redisUrl: string;

  constructor(scope: Construct, id: string, props: CacheNetworkProps) {
    super(scope, id);

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      gatewayEndpoints: {
        // Gateway endpoints are free and keep DynamoDB traffic off the internet.
        DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
    // Flow logs (rejected traffic only): the security groups are the cache's whole perimeter, so a
    // refused connection is the evidence an investigation needs, and accepted traffic would only cost.
    this.flowLogs = new logs.LogGroup(this, 'FlowLogs', { retention: props.logRetention, removalPolicy: props.logRemovalPolicy });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogs),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });

    this.functionSecurityGroup = new ec2.SecurityGroup(this, 'FunctionSecurityGroup', {
      vpc: this.vpc,
      description: 'Variable service functions',
      allowAllOutbound: false,
    });
    this.cacheSecurityGroup = new ec2.SecurityGroup(this, 'CacheSecurityGroup', {
      vpc: this.vpc,
      description: 'Variable service Valkey cache: reachable from the functions only',
      allowAllOutbound: false,
    });

    this.cacheSecurityGroup.addIngressRule(this.functionSecurityGroup, ec2.Port.tcp(CACHE_PORT), 'Valkey from the functions');
    this.functionSecurityGroup.addEgressRule(this.cacheSecurityGroup, ec2.Port.tcp(CACHE_PORT), 'Valkey');
    // The DynamoDB prefix list id is per region and cannot be known in an environment-agnostic
    // template; with no NAT and no internet gateway, port 443 can only reach the gateway endpoint.
    this.functionSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'DynamoDB via the gateway endpoint');

    this.cacheName = Names.uniqueResourceName(this, { maxLength: 40, separator: '-' }).toLowerCase();
    this.cache = new elasticache.CfnServerlessCache(this, 'Cache', {
      serverlessCacheName: this.cacheName,
      engine: 'valkey',
      majorEngineVersion: '8',
      description: 'Second cache tier of the variable service (version-keyed execution snapshots)',
      subnetIds: this.vpc.isolatedSubnets.map((subnet) => subnet.subnetId),
      securityGroupIds: [this.cacheSecurityGroup.securityGroupId],
      cacheUsageLimits: {
        dataStorage: { unit: 'GB', maximum: CACHE_LIMITS.dataStorageGb },
        ecpuPerSecond: { maximum: CACHE_LIMITS.ecpuPerSecond },
      },
    });

    this.redisUrl = Fn.join('', ['rediss://', this.cache.attrEndpointAddress, ':', this.cache.attrEndpointPort]);
  }

  /** Where the functions run: the same isolated subnets as the cache. */
  get functionSubnets(): ec2.SubnetSelection {
    return { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  }
}
