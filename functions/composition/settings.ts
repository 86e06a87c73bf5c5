import { readSettings, type Settings } from '#config/settings';

/** The one read of the process environment: every composition of this process is given these. */
export const settings: Settings = readSettings(process.env);
