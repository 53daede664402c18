import { MemoryTopologyStore } from '../../src/store/memory/memory-topology-store';
import { topologyStoreContract } from './topology-store.contract';

describe('MemoryTopologyStore', () => {
  topologyStoreContract(async () => new MemoryTopologyStore());
});
