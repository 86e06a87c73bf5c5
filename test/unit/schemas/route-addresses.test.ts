/**
 * The fallback function tells 404 from 405 by functions/routes/addresses.ts alone (its bundle carries
 * no route's schemas): that table must say exactly where each entry of the route table is served.
 */
import { ADDRESS } from '#functions/routes/addresses';
import { allowedMethods as fallbackAllowedMethods } from '#functions/routes/fallback';
import { allowedMethods, ROUTES } from '#functions/routes';

describe('route addresses', () => {
  test('each entry is served at its address, in the same order', () => {
    expect(ROUTES.map(({ operation, method, path }) => [operation, method, path])).toEqual(
      Object.entries(ADDRESS).map(([operation, { method, path }]) => [operation, method, path]),
    );
  });

  test.each([
    '/api/v1/executions/e1/variables/x',
    '/api/v1/executions/e1/variables/validate',
    '/api/v1/executions/e1',
    '/api/executions/e1/variables/x/properties',
    '/api/health',
    '/api/nothing',
  ])('the fallback allows on %s what the route table serves there', (path) => {
    expect(fallbackAllowedMethods(path)).toEqual(allowedMethods(path));
  });
});
