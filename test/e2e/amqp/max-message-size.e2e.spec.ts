/**
 * MAX_MESSAGE_SIZE over real TCP, with a Warren of its own started with a
 * 1000-byte limit: a larger message closes its channel with 406, judged from
 * the content header alone, and the connection carries on.
 */
import * as amqp from 'amqplib';
import { encodeContentHeaderFrame } from '../../../src/amqp/codec';
import { useWarren } from '../../support/warren-app';
import { consumeInto, unique, useClients } from './support/clients';

jest.setTimeout(60000);

describe('AMQP MAX_MESSAGE_SIZE', () => {
  const warren = useWarren({ MAX_MESSAGE_SIZE: '1000' });
  const clients = useClients(warren);

  it('refuses a 2000-byte message with a 406 channel close; the connection and the 1000-byte messages carry on', async () => {
    const connection = await clients.amqplib();
    const ch = await connection.createChannel();
    const { queue } = await ch.assertQueue(unique('q.size'), { exclusive: true });
    const publisher = await connection.createChannel();
    const closed = new Promise<Error & { code?: number }>((done) => publisher.once('error', done));
    publisher.sendToQueue(queue, Buffer.alloc(1000, 1));
    publisher.sendToQueue(queue, Buffer.alloc(2000, 2));
    const error = await closed;
    expect(error.code).toBe(406);
    expect(error.message).toMatch(/with message "PRECONDITION_FAILED - message size 2000 is larger than configured max size 1000"/);

    const { inbox } = await consumeInto(ch, queue, { noAck: true });
    const [accepted] = await inbox.waitFor(1);
    expect(accepted.content.equals(Buffer.alloc(1000, 1))).toBe(true);
    expect((await ch.checkQueue(queue)).messageCount).toBe(0);
    expect(inbox.items).toHaveLength(1);
  });

  it('refuses a header declaring an enormous body at once, without waiting for the body', async () => {
    const raw = await clients.raw();
    raw.send(1, 'basic.publish', { exchange: '', routingKey: 'anywhere' });
    raw.socket.write(encodeContentHeaderFrame(1, 2 ** 40, {}));
    const close = await raw.expectMethod(1, 'channel.close');
    expect(close).toMatchObject({ replyCode: 406, classId: 60, methodId: 40 });
    expect(close.replyText).toBe(`PRECONDITION_FAILED - message size ${2 ** 40} is larger than configured max size 1000`);
    raw.send(1, 'channel.close-ok', {});
    raw.send(2, 'channel.open', {});
    await raw.expectMethod(2, 'channel.open-ok');
  });

  it('rabbitmq-client is refused the same way', async () => {
    const connection = await clients.rabbit();
    const ch = await connection.acquire({ emitErrorsFromChannel: true });
    const failed = new Promise<{ code: string; message: string }>((done) => ch.once('error', done));
    await ch.basicPublish({ routingKey: 'q' }, Buffer.alloc(5000));
    const error = await failed;
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/message size 5000 is larger than configured max size 1000/);
  });

  it('amqplib messages at the limit still round-trip', async () => {
    const connection = await clients.amqplib();
    const ch = await connection.createChannel();
    const { queue } = await ch.assertQueue('', { exclusive: true });
    ch.sendToQueue(queue, Buffer.alloc(1000, 9));
    const { inbox } = await consumeInto(ch as amqp.Channel, queue, { noAck: true });
    expect((await inbox.waitFor(1))[0].content.length).toBe(1000);
  });
});
