/**
 * What respond() and respondEmpty() send. Which bodies, statuses and headers they accept is checked
 * by the type-check (test/types/route-response.types.ts), not here.
 */
import { ROUTE } from '#functions/routes';
import { respond, respondEmpty } from '#middleware/route-response';

describe('route responses', () => {
  it('respondEmpty answers the status with no body and no headers', () => {
    expect(respondEmpty(ROUTE.DeleteExecution, 204)).toEqual({ statusCode: 204, headers: {}, body: '' });
  });

  it('respond sends the JSON body and the headers it is given', () => {
    const health = {
      status: 'down',
      checks: { database: { status: 'down', latency_ms: 1 }, cache: { status: 'ok' } },
      version: '1',
    } as const;
    const answer = respond(ROUTE.Health, 503, health, { 'Retry-After': '1' });
    expect(answer).toMatchObject({ statusCode: 503, headers: { 'Retry-After': '1' } });
    expect(JSON.parse(answer.body as string)).toEqual(health);
  });
});
