/** Jest runs TypeScript through SWC; middy ships ESM only, so it is transformed too. */
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: {
    '^#(domain|services|adapters|middleware|observability|handlers|config|schemas)/(.*)$': '<rootDir>/functions/$1/$2',
    '^#functions/(.*)$': '<rootDir>/functions/$1',
  },
  testTimeout: 60000,
  maxWorkers: 2,
};
