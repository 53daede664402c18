import { MemoryUserStore } from '../../src/store/memory/memory-user-store';
import { MemoryVhostLimitStore } from '../../src/store/memory/memory-vhost-limit-store';
import { userStoreContract, vhostLimitStoreContract } from './user-store.contract';

describe('MemoryUserStore', () => {
  userStoreContract(async () => ({ store: new MemoryUserStore(), createVhost: async () => undefined }));
});

describe('MemoryVhostLimitStore', () => {
  vhostLimitStoreContract(async () => ({ store: new MemoryVhostLimitStore(), createVhost: async () => undefined }));
});
