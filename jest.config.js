// Two projects: fast unit tests next to the code, and end-to-end tests in test/
// that start real hubs and repeaters on ephemeral ports.
// ts-jest in transpile-only mode (isolatedModules): fast, and it emits the decorator
// metadata Nest needs. Type checking is `npm run typecheck`'s job.
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }];

const moduleNameMapper = {
  '^@ces/protocol$': '<rootDir>/libs/protocol/src',
  '^@ces/server-kit$': '<rootDir>/libs/server-kit/src',
  '^@ces/messenger$': '<rootDir>/libs/messenger/src',
  '^@ces/messenger/nest$': '<rootDir>/libs/messenger/src/nest',
  '^@ces/messenger/nest/health$': '<rootDir>/libs/messenger/src/nest/messenger.health',
};

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleNameMapper,
  // dist/ holds built copies of the packages (npm run build:packages): never resolve into it.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
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
