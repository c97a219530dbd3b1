// The repeater's version is the repository's; the build bundles package.json's `version`.
const { version } = require('../../../../package.json') as { version: string };

/** The version the repeater's OpenAPI document (and anything else that asks) reports. */
export const REPEATER_VERSION = version;
