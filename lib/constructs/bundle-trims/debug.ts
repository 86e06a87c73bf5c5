/**
 * Stands in for the `debug` package, which only ioredis uses in the bundles: its `DEBUG=ioredis:*`
 * tracing goes to stderr, never through the service's logger (and the bundles never set DEBUG).
 * Every logger it makes is disabled; calling one does nothing, as `debug` does when DEBUG is unset.
 */
interface DisabledDebugger {
  (...args: unknown[]): void;
  enabled: false;
  namespace: string;
  extend(suffix: string): DisabledDebugger;
}

function createDebug(namespace: string): DisabledDebugger {
  const log = (() => undefined) as unknown as DisabledDebugger;
  log.enabled = false;
  log.namespace = namespace;
  log.extend = (suffix: string) => createDebug(`${namespace}:${suffix}`);
  return log;
}
createDebug.enabled = (_namespace: string): boolean => false;
createDebug.default = createDebug;

export default createDebug;
