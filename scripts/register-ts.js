/**
 * Lets plain `node -r ./scripts/register-ts.js file.ts` run TypeScript sources (dev
 * start, benchmarks, Warren as a child process in tests). It only transpiles, with
 * the project's tsconfig, as jest's ts-jest does; `npm run build` type-checks.
 */
const ts = require('typescript');
const { readFileSync } = require('fs');
const { join } = require('path');

const configFile = join(__dirname, '..', 'tsconfig.json');
const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, join(__dirname, '..'));
const compilerOptions = { ...options, sourceMap: false, inlineSourceMap: true, inlineSources: true, incremental: false, declaration: false };

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
