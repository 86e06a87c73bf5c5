/**
 * Stands in for `@aws-sdk/credential-provider-node` inside the function bundles (an esbuild alias,
 * function-bundling.ts). Lambda hands a function its role's credentials in the environment, the
 * first link of the SDK's default chain, so the chain's other links — shared files, SSO, web
 * identity, container and instance metadata, with the STS/SSO clients they bring — never run
 * there and only cost bundle size and init (130 KB of every bundle, measured with esbuild's
 * metafile). The local server passes explicit credentials to its clients and is not affected.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
