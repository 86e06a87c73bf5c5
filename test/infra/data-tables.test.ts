import { Match } from 'aws-cdk-lib/assertions';
import { synthStage, tableLogicalId } from './template';

// prod: the stage that keeps users' data (stages.test.ts checks what the others do instead).
const { template } = synthStage('prod');

describe('DynamoDB tables', () => {
  it('has exactly the three tables', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 3);
  });

  it.each(['Variables', 'References'] as const)(
    '%s: execution_id + sk, on demand, PITR, TTL expires_at, retained with deletion protection in prod',
    (name) => {
      const id = tableLogicalId(template, name);
      const table = template.toJSON().Resources[id];
      expect(table.Properties).toEqual(
        expect.objectContaining({
          KeySchema: [
            { AttributeName: 'execution_id', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: expect.arrayContaining([
            { AttributeName: 'execution_id', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ]),
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
        }),
      );
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    },
  );

  it('Idempotency: Powertools layout (id, TTL expiration), on demand, PITR', () => {
    const table = template.toJSON().Resources[tableLogicalId(template, 'Idempotency')];
    expect(table.Properties).toEqual(
      expect.objectContaining({
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      }),
    );
  });

  it('has no provisioned throughput anywhere', () => {
    template.allResourcesProperties('AWS::DynamoDB::Table', { ProvisionedThroughput: Match.absent() });
  });
});
