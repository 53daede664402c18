import { Global, Module } from '@nestjs/common';
import { NodeListeners } from './node-listeners';

/** Facts about this node that several edges share: its listeners. */
@Global()
@Module({ providers: [NodeListeners], exports: [NodeListeners] })
export class NodeModule {}
