import { ADDRESS } from '#functions/routes/addresses';
import { ok, route, BODY_ERRORS, READ_ERRORS } from '#functions/routes/contract';
import { executionPath, readHeaders } from '#functions/routes/parameter-sets';
import { parseResolveBody, resolveBody, resolveResult } from '#schemas/resolve';

export const Resolve = route({
  ...ADDRESS.Resolve,
  handler: 'references/resolve',
  operation: 'Resolve',
  summary: "Substitute references in a step's params or text and record lineage",
  authenticated: true,
  memoryMb: 1024,
  request: { path: executionPath(), headers: readHeaders(), body: resolveBody, parseBody: parseResolveBody },
  responses: { 200: ok('The substituted params or text, with one record per reference', resolveResult) },
  errors: [...READ_ERRORS, ...BODY_ERRORS, 'INVALID_STEP_INDEX', 'UNRESOLVED_REFERENCES'],
});
