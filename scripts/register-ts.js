/**
 * Lets plain `node -r ./scripts/register-ts.js file.ts` run TypeScript sources (dev
 * start, benchmarks, test fixtures in child processes) with the same swc settings as jest.
 */
const { transformSync } = require('@swc/core');
const { readFileSync } = require('fs');
const { join } = require('path');

const options = JSON.parse(readFileSync(join(__dirname, '..', '.swcrc'), 'utf8'));
delete options.$schema;

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename, sourceMaps: 'inline' });
  module._compile(code, filename);
};
