import fc from 'fast-check';
import { decodeCursor, encodeCursor } from '#domain/cursor';
import { ApiError } from '#domain/errors';

const anyPosition = (position: unknown[]) => position;

describe('the one cursor codec', () => {
  it('gives back the position it was given, for the execution it names', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.oneof(fc.string(), fc.integer())), (executionId, position) => {
        expect(decodeCursor(executionId, encodeCursor(executionId, position), anyPosition)).toEqual(position);
      }),
    );
  });

  it("refuses another execution's cursor, and any text that is no cursor, with 400 INVALID_REQUEST naming it", () => {
    const refused = (executionId: string, cursor: string) => {
      try {
        decodeCursor(executionId, cursor, anyPosition);
      } catch (error) {
        return error instanceof ApiError && error.code === 'INVALID_REQUEST' && error.details.field === 'cursor';
      }
      return false;
    };
    expect(refused('e2', encodeCursor('e1', [1]))).toBe(true);
    for (const text of ['garbage', '%%%', 'null', '', Buffer.from('{"sk":"S#1"}').toString('base64url')])
      expect(refused('e1', text)).toBe(true);
    fc.assert(fc.property(fc.string(), (text) => refused('e1', text) || decodeCursor('e1', text, anyPosition) !== undefined));
  });

  it('refuses a position the listing does not accept, and quotes a long cursor cut short', () => {
    const cursor = encodeCursor('e1', ['x'.repeat(300)]);
    try {
      decodeCursor('e1', cursor, () => undefined);
      throw new Error('accepted');
    } catch (error) {
      expect((error as ApiError).message.length).toBeLessThan(130);
    }
  });
});
