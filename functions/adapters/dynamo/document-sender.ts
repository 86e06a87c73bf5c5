import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall, type marshallOptions, type unmarshallOptions } from '@aws-sdk/util-dynamodb';

/**
 * What the adapters' `documentClient.send(new GetCommand(…))` goes through: the document
 * commands' own key maps (`inputKeyNodes`/`outputKeyNodes`) marshal the input and unmarshal the
 * output, as lib-dynamodb's DocumentClient does, but the call itself is the plain client's command.
 *
 * Why not the DocumentClient: it cannot use the client's `cacheMiddleware` (it throws), and
 * without it the SDK resolves and sorts the whole middleware stack again on every call — about a
 * third of a GetItem's CPU (measured with --cpu-prof; see load-tests/README.md "cost"). With it the
 * stack is resolved once per command class. The retry, timeout, signing and the service's own
 * middleware are the same objects; only where they are resolved changes.
 */
type KeyNodes = Record<string, unknown> | unknown[] | null;

interface DocumentCommand {
  input: Record<string, unknown>;
  inputKeyNodes: KeyNodes;
  outputKeyNodes: KeyNodes;
  clientCommand: { constructor: new (input: never) => unknown };
}

const NEXT_LEVEL = '*';

// A port of lib-dynamodb's processObj/processKeysInObj/processAllKeysInObj (commands/utils.ts).
function processObj(obj: unknown, process: (value: unknown) => unknown, keyNodes: KeyNodes | undefined): unknown {
  if (obj === undefined) return undefined;
  if (keyNodes == null) return process(obj);
  const keys = Object.keys(keyNodes);
  const goToNextLevel = keys.length === 1 && keys[0] === NEXT_LEVEL;
  if (keys.length >= 1 && !goToNextLevel)
    return processKeysInObj(obj as Record<string, unknown>, process, keyNodes as Record<string, KeyNodes>);
  if (keys.length === 0) return processAllKeysInObj(obj, process, null);
  const next = (keyNodes as Record<string, KeyNodes>)[NEXT_LEVEL];
  const accumulator: Record<string, unknown> | unknown[] = Array.isArray(obj) ? [] : {};
  for (const [k, v] of Object.entries(obj ?? {}))
    if (typeof v !== 'function') (accumulator as Record<string, unknown>)[k] = processObj(v, process, next);
  return accumulator;
}

function processKeysInObj(
  obj: Record<string, unknown>,
  process: (value: unknown) => unknown,
  keyNodes: Record<string, KeyNodes>,
): Record<string, unknown> {
  const accumulator: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (typeof v !== 'function') accumulator[k] = v;
  for (const [nodeKey, nodes] of Object.entries(keyNodes)) {
    if (typeof obj[nodeKey] === 'function') continue;
    const processed = processObj(obj[nodeKey], process, nodes);
    if (processed !== undefined && typeof processed !== 'function') accumulator[nodeKey] = processed;
  }
  return accumulator;
}

function processAllKeysInObj(obj: unknown, process: (value: unknown) => unknown, keyNodes: KeyNodes): unknown {
  if (Array.isArray(obj)) return obj.filter((item) => typeof item !== 'function').map((item) => processObj(item, process, keyNodes));
  const accumulator: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj as Record<string, unknown>)) {
    if (typeof value === 'function') continue;
    const processed = processObj(value, process, keyNodes);
    if (processed !== undefined && typeof processed !== 'function') accumulator[key] = processed;
  }
  return accumulator;
}

export function documentSender(
  client: DynamoDBClient,
  options: { marshallOptions: marshallOptions; unmarshallOptions: unmarshallOptions },
): DynamoDBDocumentClient {
  const marshalling = { ...options.marshallOptions, convertTopLevelContainer: options.marshallOptions.convertTopLevelContainer ?? true };
  const unmarshalling = {
    ...options.unmarshallOptions,
    convertWithoutMapWrapper: options.unmarshallOptions.convertWithoutMapWrapper ?? true,
  };
  const toItem = (value: unknown) => marshall(value as Record<string, unknown>, marshalling);
  const fromItem = (value: unknown) => unmarshall(value as never, unmarshalling);
  const sender = {
    async send(command: DocumentCommand): Promise<unknown> {
      const PlainCommand = command.clientCommand.constructor;
      const input = processKeysInObj(command.input, toItem, command.inputKeyNodes as Record<string, KeyNodes>);
      const output = (await client.send(new PlainCommand(input as never) as never)) as unknown as Record<string, unknown>;
      return processKeysInObj(output, fromItem, command.outputKeyNodes as Record<string, KeyNodes>);
    },
    config: client.config,
    middlewareStack: client.middlewareStack,
    destroy: () => client.destroy(),
  };
  // The adapters only call send(); the DocumentClient type keeps their signatures as they are.
  return sender as unknown as DynamoDBDocumentClient;
}
