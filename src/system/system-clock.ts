/** The Clock port on the real clock; timers never keep the process alive on their own. */
import type { Clock } from '../broker/ports/clock';

export const systemClock: Clock = {
  now: () => Date.now(),
  every(intervalMs, tick) {
    const timer = setInterval(tick, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  },
};
