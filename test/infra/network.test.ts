import { Match } from 'aws-cdk-lib/assertions';
import { logicalIdOf, resourcesOf, synthStack } from './template';

const { template } = synthStack();
const functionSg = logicalIdOf(template, 'AWS::EC2::SecurityGroup', /^NetworkFunctionSecurityGroup[0-9A-F]{8}$/);
const cacheSg = logicalIdOf(template, 'AWS::EC2::SecurityGroup', /^NetworkCacheSecurityGroup[0-9A-F]{8}$/);

describe('VPC', () => {
  it('has two isolated subnets and nothing that reaches the internet', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    const routes = Object.values(resourcesOf(template, 'AWS::EC2::Route'));
    expect(routes.filter((route) => route.Properties?.DestinationCidrBlock === '0.0.0.0/0')).toEqual([]);
  });

  it('places the two subnets in different availability zones', () => {
    const azs = Object.values(resourcesOf(template, 'AWS::EC2::Subnet')).map((subnet) =>
      JSON.stringify(subnet.Properties!.AvailabilityZone),
    );
    expect(new Set(azs).size).toBe(2);
  });

  it('has a DynamoDB gateway endpoint on the subnets route tables', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.dynamodb']] },
      RouteTableIds: Match.arrayWith([Match.objectLike({ Ref: Match.anyValue() })]),
    });
  });
});

describe('ElastiCache Serverless', () => {
  it('runs Valkey in the isolated subnets behind its own security group, with usage limits', () => {
    template.resourceCountIs('AWS::ElastiCache::ServerlessCache', 1);
    const cache = Object.values(resourcesOf(template, 'AWS::ElastiCache::ServerlessCache'))[0].Properties!;
    expect(cache.Engine).toBe('valkey');
    expect(cache.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [cacheSg, 'GroupId'] }]);
    const subnetIds = Object.keys(resourcesOf(template, 'AWS::EC2::Subnet')).map((id) => ({ Ref: id }));
    expect(cache.SubnetIds).toEqual(expect.arrayContaining(subnetIds));
    expect(cache.SubnetIds).toHaveLength(2);
    expect(cache.CacheUsageLimits.DataStorage).toEqual({ Maximum: 5, Unit: 'GB' });
    expect(cache.CacheUsageLimits.ECPUPerSecond).toEqual({ Maximum: 15000 });
    expect(cache.ServerlessCacheName).toMatch(/^[a-z][a-z0-9-]{0,39}$/);
  });

  it('admits only the functions security group, only on 6379', () => {
    const ingress = [
      ...Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress'))
        .map((rule) => rule.Properties!)
        .filter((rule) => JSON.stringify(rule.GroupId).includes(cacheSg)),
      ...(template.toJSON().Resources[cacheSg].Properties.SecurityGroupIngress ?? []),
    ];
    expect(ingress).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 6379,
        ToPort: 6379,
        SourceSecurityGroupId: { 'Fn::GetAtt': [functionSg, 'GroupId'] },
      }),
    ]);
  });

  it('lets the functions out only to Valkey and HTTPS', () => {
    const sg = template.toJSON().Resources[functionSg].Properties;
    const egressRules = [
      ...(sg.SecurityGroupEgress ?? []),
      ...Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupEgress'))
        .map((rule) => rule.Properties!)
        .filter((rule) => JSON.stringify(rule.GroupId).includes(functionSg)),
    ];
    expect(egressRules.map((rule) => rule.FromPort).sort()).toEqual([443, 6379]);
    expect(egressRules.find((rule) => rule.FromPort === 6379)).toEqual(
      expect.objectContaining({ DestinationSecurityGroupId: { 'Fn::GetAtt': [cacheSg, 'GroupId'] } }),
    );
  });
});
