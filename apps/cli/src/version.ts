// The CLI's version is the repository's; the build bundles package.json's `version` field.
const { version } = require('../../../package.json') as { version: string };

/** What `ces --version` prints. */
export const CLI_VERSION = version;
