/**
 * Issue 9: a model-based durability test. fast-check generates sequences of
 * publishes (persistent and transient, priorities, several queues, fanout),
 * consumes, acks, nacks, rejects, gets, purges, channel and connection closes,
 * queue deletes, graceful restarts and crashes, and runs each against Warren on
 * its PostgreSQL store and against a plain model of what must survive
 * (model.ts). Every sequence ends with a restart that compares each durable queue.
 *
 * `npm test` runs DURABILITY_RUNS sequences (default 200) with an in-process
 * crash; `npm run test:durability -- --runs 5000` runs many more, and
 * `-- --real` crashes a child process with SIGKILL instead (see brokers.ts).
 */
import fc from 'fast-check';
import * as amqp from 'amqplib';
import { useTestDatabase } from '../support/test-database';
import { BrokerUnderTest, childProcessBroker, inProcessBroker } from './brokers';
import { durabilityCommands, Restart } from './commands';
import { FANOUT, Model, QUEUE_NAMES } from './model';
import { World } from './world';

const RUNS = Number(process.env.DURABILITY_RUNS ?? 200);
const REAL = process.env.DURABILITY_REAL === '1';
const SEED = process.env.DURABILITY_SEED === undefined ? undefined : Number(process.env.DURABILITY_SEED);

jest.setTimeout(Number(process.env.DURABILITY_TIMEOUT_MS ?? 15 * 60 * 1000));

describe('durability: model-based sequences against Warren on PostgreSQL', () => {
  const database = useTestDatabase();
  let broker: BrokerUnderTest;
  beforeAll(async () => {
    broker = REAL ? await childProcessBroker(database.url) : await inProcessBroker(database.url);
  });
  afterAll(() => broker?.stop());

  it(`loses nothing confirmed across ${RUNS} sequences of purges, requeues, restarts and ${REAL ? 'SIGKILLs' : 'crashes'}`, async () => {
    let sequence = 0;
    await fc.assert(
      fc.asyncProperty(durabilityCommands({ restarts: true, crashes: true }), async (commands) => {
        const model = new Model();
        const world = new World(broker, `dm${sequence++}`, model);
        await world.declareTopology();
        try {
          await fc.asyncModelRun(() => Promise.resolve({ model, real: world }), [...commands, new Restart('graceful')]);
        } finally {
          await world.closeAll();
          await removeTopology(broker, world);
        }
      }),
      { numRuns: RUNS, seed: SEED, verbose: 1 },
    );
  });
});

/** Each sequence leaves nothing behind, so later restarts recover only what later sequences made. */
async function removeTopology(broker: BrokerUnderTest, world: World): Promise<void> {
  const connection = await amqp.connect(broker.amqpUrl);
  connection.on('error', () => undefined);
  const channel = await connection.createChannel();
  for (const queue of QUEUE_NAMES) await channel.deleteQueue(world.name(queue));
  await channel.deleteExchange(world.name(FANOUT));
  await connection.close();
}
