/**
 * Topic routing throughput on one core: a topic exchange with 10,000 bindings
 * shaped like real ones (dotted, hierarchical keys; mostly literal words, some
 * '*', some '#'), routed against a pool of publish keys. Prints the figure;
 * it asserts nothing, so a slow machine does not fail the build.
 */
import { TopicRouter } from '../../src/broker/routing/topic';

const BINDINGS = 10_000;
const QUEUES = 2_500;
const KEY_POOL = 20_000;
/** Words available at each level of a key (service.entity.event.region.detail): 300 in all. */
const LEVEL_SIZES = [20, 60, 70, 70, 80];
/** A '*' stands at a level below the first this often: about 20% of all binding words. */
const STAR_BELOW_ROOT = 0.27;
const HASH_SHARE = 0.1;

interface Queue { name: string }

/** mulberry32: a seeded generator, so every run routes the same keys through the same bindings. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = random(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'su', 'ta', 'ri', 'po', 'de', 'va', 'zu', 'be', 'go', 'hi', 'ju'];
const vocabulary: string[][] = LEVEL_SIZES.map((size, level) =>
  Array.from({ length: size }, (_, i) => `${pick(SYLLABLES)}${pick(SYLLABLES)}${level}${i}`));

/**
 * Bindings are hierarchical, as in practice: the first word (the service) is
 * always literal and wildcards stand lower down. Starring every word
 * independently would bind "*.*.*" hundreds of times and match everything.
 */
function bindingKey(): string {
  const length = 3 + Math.floor(rand() * 3);
  const words = vocabulary.slice(0, length).map((level, i) => (i > 0 && rand() < STAR_BELOW_ROOT ? '*' : pick(level)));
  if (rand() < HASH_SHARE) {
    // Mostly "prefix.#", sometimes a '#' standing for words in the middle.
    const at = 1 + Math.floor(rand() * (length - 1));
    words.splice(at, rand() < 0.7 ? length - at : 1, '#');
  }
  return words.join('.');
}

function routingKey(): string {
  const length = 3 + Math.floor(rand() * 3);
  return vocabulary.slice(0, length).map(pick).join('.');
}

/** The share of literal, '*' and '#' words over all binding keys, printed so the mix is visible. */
function mix(keys: string[]): string {
  const words = keys.flatMap((key) => key.split('.'));
  const share = (test: (w: string) => boolean) => `${((100 * words.filter(test).length) / words.length).toFixed(0)}%`;
  const withHash = `${((100 * keys.filter((k) => k.split('.').includes('#')).length) / keys.length).toFixed(0)}%`;
  return `words ${share((w) => w !== '*' && w !== '#')} literal, ${share((w) => w === '*')} '*'; ${withHash} of keys hold a '#'`;
}

function build(): { router: TopicRouter<Queue>; bindingKeys: string[] } {
  const router = new TopicRouter<Queue>();
  const queues = Array.from({ length: QUEUES }, (_, i) => ({ name: `q${i}` }));
  const bindingKeys: string[] = [];
  while (router.bindingCount < BINDINGS) {
    const routingKey = bindingKey();
    const before = router.bindingCount;
    router.bind({ destination: pick(queues), routingKey, arguments: {} });
    if (router.bindingCount > before) bindingKeys.push(routingKey);
  }
  return { router, bindingKeys };
}

function measure(router: TopicRouter<Queue>, keys: string[], seconds: number, freshSet: boolean) {
  let routed = 0;
  let matches = 0;
  let into = new Set<Queue>();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  let now = started;
  while (now < deadline) {
    for (let i = 0; i < keys.length; i++) {
      if (freshSet) into = new Set<Queue>();
      else into.clear();
      router.route(keys[i], undefined, into);
      matches += into.size;
    }
    routed += keys.length;
    now = process.hrtime.bigint();
  }
  const elapsed = Number(now - started) / 1e9;
  return { keysPerSecond: routed / elapsed, matchesPerKey: matches / routed };
}

/** The exchange and the publish keys, also for profiling scripts. */
export function workload() {
  const { router, bindingKeys } = build();
  return { router, bindingKeys, keys: Array.from({ length: KEY_POOL }, routingKey) };
}

export function main(seconds: number): void {
  const { router, bindingKeys, keys } = workload();
  measure(router, keys, 1, false); // warm up: let the JIT settle before timing

  const format = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`topic routing: ${format(router.bindingCount)} bindings, ${format(router.nodeCount)} trie nodes, `
    + `${format(KEY_POOL)} routing keys, node ${process.version}, ${seconds}s per run`);
  console.log(`  binding keys: ${mix(bindingKeys)}`);
  for (const freshSet of [false, true]) {
    const { keysPerSecond, matchesPerKey } = measure(router, keys, seconds, freshSet);
    console.log(`  ${freshSet ? 'new Set per key  ' : 'reused Set       '} ${format(keysPerSecond).padStart(10)} keys/s  `
      + `${(1e9 / keysPerSecond).toFixed(0).padStart(5)} ns/key  ${matchesPerKey.toFixed(2)} matches/key`);
  }
}
