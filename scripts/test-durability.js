#!/usr/bin/env node
/**
 * The model-based durability test in its long mode:
 *   npm run test:durability -- --runs 5000 [--real] [--seed N]
 * --runs   sequences to run (npm test runs 200)
 * --real   crash a child process with SIGKILL instead of the in-process crash
 * --seed   replay a failing run's seed
 */
const { spawnSync } = require('child_process');
const { join } = require('path');

const args = process.argv.slice(2);
const valueOf = (flag) => {
  const index = args.indexOf(flag);
  return index >= 0 ? args[index + 1] : undefined;
};
const runs = Number(valueOf('--runs') ?? 1000);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write('usage: npm run test:durability -- --runs N [--real] [--seed N]\n');
  process.exit(2);
}
const env = {
  ...process.env,
  DURABILITY_RUNS: String(runs),
  DURABILITY_TIMEOUT_MS: String(24 * 60 * 60 * 1000),
  ...(args.includes('--real') ? { DURABILITY_REAL: '1' } : {}),
  ...(valueOf('--seed') !== undefined ? { DURABILITY_SEED: valueOf('--seed') } : {}),
};
const jest = join(__dirname, '..', 'node_modules', '.bin', 'jest');
const result = spawnSync(jest, ['test/durability', '--runInBand'], { cwd: join(__dirname, '..'), env, stdio: 'inherit' });
process.exit(result.status ?? 1);
