#!/usr/bin/env node
/**
 * Runs the routing benchmark: `node bench/routing/run.js [seconds]`.
 * The TypeScript sources are compiled on load (scripts/register-ts.js), so the
 * bench needs no build step and always measures the code in the working tree.
 */
const path = require('path');
require('../../scripts/register-ts.js');

require(path.join(__dirname, 'topic.bench.ts')).main(Number(process.argv[2] ?? 3));
