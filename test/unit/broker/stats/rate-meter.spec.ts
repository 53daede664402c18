/** Rates as RabbitMQ's basic mode computes them: the change over the last interval, per second. */
import { RateMeter } from '../../../../src/broker/stats/rate-meter';

describe('RateMeter', () => {
  const values = { publish: 0, ack: 0 };
  const read = (name: 'publish' | 'ack') => values[name];
  beforeEach(() => Object.assign(values, { publish: 0, ack: 0 }));

  it('has no rate after a single sample', () => {
    const meter = new RateMeter(['publish', 'ack'] as const);
    values.publish = 100;
    meter.sample(1_000, read);
    expect(meter.rate('publish')).toBe(0);
  });

  it('divides the change between the last two samples by the time between them', () => {
    const meter = new RateMeter(['publish', 'ack'] as const);
    meter.sample(10_000, read);
    values.publish = 50;
    values.ack = 5;
    meter.sample(15_000, read);
    expect(meter.rate('publish')).toBe(10);
    expect(meter.rate('ack')).toBe(1);
    values.publish = 60;
    meter.sample(17_000, read);
    expect(meter.rate('publish')).toBe(5);
    expect(meter.rate('ack')).toBe(0);
  });

  it('goes negative for a value that falls (a queue draining)', () => {
    const meter = new RateMeter(['publish'] as const);
    values.publish = 30;
    meter.sample(0, read);
    values.publish = 10;
    meter.sample(4_000, read);
    expect(meter.rate('publish')).toBe(-5);
  });

  it('reads 0 for a name it does not meter', () => {
    const meter = new RateMeter(['publish'] as const);
    expect(meter.rate('other' as 'publish')).toBe(0);
  });

  it('knows since when nothing moved, to the precision of the interval', () => {
    const meter = new RateMeter(['publish', 'ack'] as const);
    meter.sample(1_000, read);
    expect(meter.idleSince).toBeUndefined();
    meter.sample(2_000, read);
    expect(meter.idleSince).toBe(1_000);
    values.ack = 1;
    meter.sample(3_000, read);
    expect(meter.idleSince).toBeUndefined();
    meter.sample(4_000, read);
    meter.sample(5_000, read);
    expect(meter.idleSince).toBe(3_000);
  });
});
