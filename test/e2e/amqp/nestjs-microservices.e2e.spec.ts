/**
 * A NestJS microservice and its client over the RMQ transport, set up exactly as
 * the NestJS documentation shows (ServerRMQ via createMicroservice, ClientRMQ via
 * ClientsModule). ClientRMQ gets its replies through direct reply-to
 * (amq.rabbitmq.reply-to) by default: without it, the first request hangs.
 */
import { Controller, INestApplication, INestMicroservice, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxy, ClientsModule, EventPattern, MessagePattern, MicroserviceOptions, Payload, Transport } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { useWarren } from '../../support/warren-app';

jest.setTimeout(60000);

@Injectable()
class CreatedUsers {
  readonly seen: Record<string, unknown>[] = [];
}

@Controller()
class MathController {
  constructor(private readonly users: CreatedUsers) {}

  @MessagePattern({ cmd: 'sum' })
  accumulate(@Payload() data: number[]): number {
    return (data || []).reduce((a, b) => a + b, 0);
  }

  @EventPattern('user_created')
  handleUserCreated(@Payload() data: Record<string, unknown>): void {
    this.users.seen.push(data);
  }
}

describe('NestJS microservices over the RMQ transport', () => {
  const warren = useWarren();
  let server: INestMicroservice;
  let clientApp: INestApplication;
  let client: ClientProxy;
  let users: CreatedUsers;

  beforeAll(async () => {
    const urls = [warren.amqpUrl];
    @Module({ controllers: [MathController], providers: [CreatedUsers] })
    class AppModule {}
    server = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule, {
      transport: Transport.RMQ,
      options: { urls, queue: 'cats_queue', queueOptions: { durable: false } },
      logger: false,
    });
    await server.listen();
    users = server.get(CreatedUsers);

    @Module({
      imports: [ClientsModule.register([
        { name: 'MATH_SERVICE', transport: Transport.RMQ, options: { urls, queue: 'cats_queue', queueOptions: { durable: false } } },
      ])],
    })
    class ClientModule {}
    clientApp = await NestFactory.create(ClientModule, { logger: false });
    await clientApp.init();
    client = clientApp.get<ClientProxy>('MATH_SERVICE');
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
    await clientApp?.close();
    await server?.close();
  });

  it('answers a request', async () => {
    expect(await firstValueFrom(client.send<number>({ cmd: 'sum' }, [1, 2, 3]))).toBe(6);
  });

  it('answers 50 requests in flight at once, each with its own answer', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => firstValueFrom(client.send<number>({ cmd: 'sum' }, [i, 1000]))));
    expect(answers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1000));
  });

  it('delivers events', async () => {
    await firstValueFrom(client.emit('user_created', { name: 'Ada' }));
    await firstValueFrom(client.emit('user_created', { name: 'Grace' }));
    for (const deadline = Date.now() + 5000; users.seen.length < 2; await new Promise((d) => setTimeout(d, 10))) {
      if (Date.now() > deadline) throw new Error(`events seen: ${JSON.stringify(users.seen)}`);
    }
    expect(users.seen).toEqual([{ name: 'Ada' }, { name: 'Grace' }]);
  });
});
