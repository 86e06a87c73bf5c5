import { ADDRESS } from '#functions/routes/addresses';
import { ok, route, BODY_ERRORS, READ_ERRORS } from '#functions/routes/contract';
import { executionPath, readHeaders } from '#functions/routes/parameter-sets';
import { parseValidateBody, validateBody, validationResults } from '#schemas/validation';

export const ValidateReferences = route({
  ...ADDRESS.ValidateReferences,
  handler: 'references/validate-references',
  operation: 'ValidateReferences',
  summary: 'Check up to 20 references as the step editor types them',
  authenticated: true,
  request: { path: executionPath(), headers: readHeaders(), body: validateBody, parseBody: parseValidateBody },
  responses: { 200: ok('One result per reference, in input order', validationResults) },
  errors: [...READ_ERRORS, ...BODY_ERRORS, 'INVALID_STEP_INDEX'],
});
