/** Debounce + cancel of the step editor's requests (web/src/editor/latest-request.ts). */
import { LatestRequest } from '../../../web/src/editor/latest-request';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('only the last call of a burst starts; the superseded ones settle as undefined without running', async () => {
  const latest = new LatestRequest(100);
  const started: string[] = [];
  const task = (name: string) => async () => {
    started.push(name);
    return name;
  };
  const first = latest.run(task('a'));
  const second = latest.run(task('b'));
  const third = latest.run(task('c'));
  await jest.advanceTimersByTimeAsync(100);
  await expect(Promise.all([first, second, third])).resolves.toEqual([undefined, undefined, 'c']);
  expect(started).toEqual(['c']);
});

test('a running call is aborted by the next one, and its late answer is dropped', async () => {
  const latest = new LatestRequest(0);
  const signals: AbortSignal[] = [];
  let finishFirst!: (value: string) => void;
  const first = latest.run((signal) => {
    signals.push(signal);
    return new Promise<string>((resolve) => {
      finishFirst = resolve;
    });
  });
  const second = latest.run(async (signal) => {
    signals.push(signal);
    return 'second';
  });
  finishFirst('first');
  await expect(first).resolves.toBeUndefined();
  await expect(second).resolves.toBe('second');
  expect(signals.map((signal) => signal.aborted)).toEqual([true, false]);
});

test('the current call\u2019s failure is reported; cancel() settles it as undefined', async () => {
  const latest = new LatestRequest(0);
  await expect(
    latest.run(async () => {
      throw new Error('down');
    }),
  ).rejects.toThrow('down');
  const pending = latest.run(() => new Promise<string>(() => undefined));
  latest.cancel();
  await expect(pending).resolves.toBeUndefined();
});
