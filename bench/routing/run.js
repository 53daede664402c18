#!/usr/bin/env node
/**
 * Runs the routing benchmark: `node bench/routing/run.js [seconds]`.
 *
 * The TypeScript sources (the routers and the bench itself) are compiled on
 * load with @swc/core, the compiler jest already uses, so the bench needs no
 * build step and always measures the code in the working tree.
 */
const fs = require('fs');
const path = require('path');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

require(path.join(__dirname, 'topic.bench.ts')).main(Number(process.argv[2] ?? 3));
