/**
 * Work a function's init waits for, so the first request pays nothing extra (today: the DynamoDB
 * client's warm-up, composition/database.ts). A bundle ends with a top-level await of it
 * (lib/constructs/function-bundling.ts BUNDLE_FOOTER), which Lambda's init phase waits for; the
 * modules themselves have none, so jest and tsx load them as before. Only in Lambda
 * (AWS_LAMBDA_FUNCTION_NAME): elsewhere — the local server, tests, the init probe of the cost
 * harness — nothing is started.
 */
export const INIT_WORK_KEY = 'variable-service.init-work';

const inLambda = process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;

export function atInit(work: () => Promise<void>): void {
  if (!inLambda) return;
  const holder = globalThis as { [key: symbol]: Promise<void>[] | undefined };
  const key = Symbol.for(INIT_WORK_KEY);
  holder[key] ??= [];
  holder[key].push(work());
}
