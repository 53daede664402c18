/**
 * The interop suite (`npm run test:interop`): tests that drive Warren with tools
 * from Debian's packages (Python pika, amqp-tools, rabbitmqadmin, the Go client,
 * Chromium). scripts/interop-deps.sh installs them first, or says what is missing.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.interop.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
