import { MemoryMessageLog, MemoryMessageStore } from '../../src/store/memory/memory-message-store';
import { messageStoreContract } from './message-store.contract';

const logs = new WeakMap<MemoryMessageStore, MemoryMessageLog>();

messageStoreContract('memory', {
  fresh: async () => {
    const log = new MemoryMessageLog();
    const store = new MemoryMessageStore(log);
    logs.set(store, log);
    return store;
  },
  restart: async (previous) => {
    const log = logs.get(previous as MemoryMessageStore)!;
    const store = new MemoryMessageStore(log);
    logs.set(store, log);
    return store;
  },
});
