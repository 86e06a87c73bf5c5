import type * as iam from 'aws-cdk-lib/aws-iam';
import type { RouteDefinition } from '#functions/routes';
import type { DataTables } from './data-tables';

export type Access = 'none' | 'read' | 'write' | 'readWrite';

export interface TableAccess {
  variables: Access;
  references: Access;
  idempotency: Access;
}

const NONE: TableAccess = { variables: 'none', references: 'none', idempotency: 'none' };

/**
 * What a route may do to each table, derived from the route table alone so a new route cannot
 * silently get more than it needs:
 *
 * 1. GET only reads. Its handler's folder says what: `variables/` and `hints/` read variables,
 *    `references/` reads lineage, `executions/` reads both (the execution summary counts lineage),
 *    `service/` reads variables for the health probe only when the route is the health check.
 * 2. PUT, POST and DELETE under `variables/` and `executions/` are the API's writes (API.md §2,
 *    Idempotency): read/write on the folder's tables, plus read/write on the idempotency table where
 *    Powertools remembers the answer.
 * 3. POST under `references/` is a computation over variables, not a write, and ignores
 *    Idempotency-Key: it reads variables, and records lineage (write-only on references) unless it
 *    only validates (`…/validate` records nothing).
 *
 * An unknown folder throws at synth: giving a new kind of handler access is a decision, not a default.
 */
export function tableAccessFor(route: Pick<RouteDefinition, 'method' | 'path' | 'handler'>): TableAccess {
  const folder = route.handler.split('/')[0];
  if (route.method === 'GET') {
    switch (folder) {
      case 'variables':
      case 'hints':
        return { ...NONE, variables: 'read' };
      case 'references':
        return { ...NONE, references: 'read' };
      case 'executions':
        return { ...NONE, variables: 'read', references: 'read' };
      case 'service':
        return route.path.endsWith('/health') ? { ...NONE, variables: 'read' } : NONE;
    }
  } else {
    switch (folder) {
      case 'variables':
        return { ...NONE, variables: 'readWrite', idempotency: 'readWrite' };
      case 'executions':
        return { variables: 'readWrite', references: 'readWrite', idempotency: 'readWrite' };
      case 'references':
        return { ...NONE, variables: 'read', references: route.path.endsWith('/validate') ? 'none' : 'write' };
    }
  }
  throw new Error(
    `No table-access rule for ${route.method} ${route.path} (handler folder '${folder}'): extend lib/constructs/table-access.ts`,
  );
}

/** Applies an access decision with the table's own grant methods (resources are the table ARNs, never `*`). */
export function grantTableAccess(tables: DataTables, access: TableAccess, grantee: iam.IGrantable): void {
  for (const name of ['variables', 'references', 'idempotency'] as const) {
    const table = tables[name];
    switch (access[name]) {
      case 'read':
        table.grantReadData(grantee);
        break;
      case 'write':
        table.grantWriteData(grantee);
        break;
      case 'readWrite':
        table.grantReadWriteData(grantee);
        break;
      case 'none':
        break;
    }
  }
}
