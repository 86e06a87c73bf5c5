import { FALLBACK_ROUTE, ROUTES } from '#functions/routes';
import { tableAccessFor } from '../../lib/constructs/table-access';
import { actionsOf, resourcesOf, statementsOfFunction, synthStack, tableLogicalId, tablesNamedBy, type Statement } from './template';

const { template } = synthStack();
const table = {
  variables: tableLogicalId(template, 'Variables'),
  references: tableLogicalId(template, 'References'),
  idempotency: tableLogicalId(template, 'Idempotency'),
};
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'];

const dynamoStatements = (operation: string): Statement[] =>
  statementsOfFunction(template, operation).filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));

/** The table logical ids on which the function behind `operation` may perform any of `actions`. */
function tablesAllowing(operation: string, actions: string[]): string[] {
  const names = dynamoStatements(operation)
    .filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).some((action) => actions.includes(action)))
    .flatMap(tablesNamedBy);
  return [...new Set(names)].sort();
}

describe('IAM', () => {
  it('never grants a DynamoDB action on "*"', () => {
    for (const policy of Object.values(resourcesOf(template, 'AWS::IAM::Policy'))) {
      for (const statement of policy.Properties!.PolicyDocument.Statement as Statement[]) {
        if (!actionsOf(statement).some((action) => action.startsWith('dynamodb:') || action === '*')) continue;
        const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        expect(resources).not.toContain('*');
        expect(actionsOf(statement)).not.toContain('dynamodb:*');
        for (const resource of resources) expect(JSON.stringify(resource)).toMatch(/Data(Variables|References|Idempotency)[0-9A-F]{8}/);
      }
    }
  });

  it('lets read-only routes read and never write', () => {
    expect(tablesAllowing('GetVariable', READ_ACTIONS)).toEqual([table.variables]);
    expect(tablesAllowing('ListVariables', READ_ACTIONS)).toEqual([table.variables]);
    expect(tablesAllowing('GetSuggestions', READ_ACTIONS)).toEqual([table.variables]);
    expect(tablesAllowing('ListReferences', READ_ACTIONS)).toEqual([table.references]);
    expect(tablesAllowing('GetExecution', READ_ACTIONS)).toEqual([table.references, table.variables].sort());
    expect(tablesAllowing('ValidateReferences', READ_ACTIONS)).toEqual([table.variables]);
    for (const route of ROUTES.filter((r) => r.method === 'GET' || r.path.endsWith('/validate'))) {
      expect({ operation: route.operation, writes: tablesAllowing(route.operation, WRITE_ACTIONS) }).toEqual({
        operation: route.operation,
        writes: [],
      });
    }
  });

  it('lets write routes read and write their tables and the idempotency table', () => {
    expect(tablesAllowing('StoreVariable', WRITE_ACTIONS)).toEqual([table.idempotency, table.variables].sort());
    expect(tablesAllowing('StoreVariables', WRITE_ACTIONS)).toEqual([table.idempotency, table.variables].sort());
    expect(tablesAllowing('DeleteVariable', WRITE_ACTIONS)).toEqual([table.idempotency, table.variables].sort());
    expect(tablesAllowing('DeleteExecution', WRITE_ACTIONS)).toEqual(Object.values(table).sort());
    expect(tablesAllowing('StoreVariable', READ_ACTIONS)).toEqual([table.idempotency, table.variables].sort());
  });

  it('lets resolve read variables and write lineage, and nothing more', () => {
    expect(tablesAllowing('Resolve', READ_ACTIONS)).toEqual([table.variables]);
    expect(tablesAllowing('Resolve', WRITE_ACTIONS)).toEqual([table.references]);
  });

  it('gives only the write routes the idempotency table', () => {
    const withIdempotency = ROUTES.filter((route) =>
      tablesAllowing(route.operation, [...READ_ACTIONS, ...WRITE_ACTIONS]).includes(table.idempotency),
    );
    expect(withIdempotency.map((route) => route.operation).sort()).toEqual([
      'DeleteExecution',
      'DeleteVariable',
      'StoreVariable',
      'StoreVariables',
    ]);
  });

  it('gives the OpenAPI document and the fallback no table at all; health only reads variables', () => {
    expect(dynamoStatements('OpenApi')).toEqual([]);
    expect(dynamoStatements(FALLBACK_ROUTE.operation)).toEqual([]);
    expect(tablesAllowing('Health', READ_ACTIONS)).toEqual([table.variables]);
    expect(tablesAllowing('Health', WRITE_ACTIONS)).toEqual([]);
  });
});

describe('tableAccessFor', () => {
  it('refuses a handler folder it has no rule for', () => {
    expect(() => tableAccessFor({ method: 'GET', path: '/api/v1/x', handler: 'reports/x' })).toThrow(/No table-access rule/);
  });

  it('treats a POST …/validate as read-only', () => {
    expect(
      tableAccessFor({
        method: 'POST',
        path: '/api/v1/executions/{execution_id}/variables/validate',
        handler: 'references/validate-references',
      }),
    ).toEqual({ variables: 'read', references: 'none', idempotency: 'none' });
  });
});
