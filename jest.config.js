// Two projects: fast unit tests next to the code, and end-to-end tests in test/
// that start real hubs and repeaters on ephemeral ports.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const moduleNameMapper = {
  '^@ces/protocol$': '<rootDir>/libs/protocol/src',
  '^@ces/protocol/server$': '<rootDir>/libs/protocol/src/server',
  '^@ces/messenger$': '<rootDir>/libs/messenger/src',
};

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': swc },
  moduleNameMapper,
  setupFilesAfterEnv: ['<rootDir>/test/setup/fail-on-unhandled.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,bench}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
