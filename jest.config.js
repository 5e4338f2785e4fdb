// Two projects: unit tests run anywhere; integration tests (*.int.test.ts) share one
// throwaway broker started by the global setup and stopped by the teardown.
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  moduleNameMapper: {
    '^@login-stream/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
  },
  roots: ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/tools'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/src/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '\\.compose\\.test\\.ts$', '/node_modules/', '/dist/'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['**/src/**/*.int.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
      globalSetup: '<rootDir>/libs/kafka-testing/src/jest-global-setup.ts',
      globalTeardown: '<rootDir>/libs/kafka-testing/src/jest-global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/jest.integration.setup.js'],
    },
    {
      // `npm run test:compose`: the docker-compose stack, after tools/compose-test/prepare.sh.
      ...shared,
      displayName: 'compose',
      testMatch: ['**/src/**/*.compose.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
  ],
};
