/** The version /status reports: the package's, as npm starts us, or the one this file was built with. */
export const HUB_VERSION = process.env.npm_package_version ?? '0.1.0';
