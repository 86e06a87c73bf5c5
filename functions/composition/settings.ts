import { readSettings, type Settings } from '#config/settings';
import { useRequestScope } from '#services/request-budget-signal';

/** The one read of the process environment: every composition of this process is given these. */
export const settings: Settings = readSettings(process.env);

// A Lambda instance runs one request at a time: its budget signal needs no AsyncLocalStorage (and none of its hooks).
useRequestScope(settings.oneRequestAtATime ? 'one-at-a-time' : 'concurrent');
