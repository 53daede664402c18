/**
 * "Get messages" as RabbitMQ's management API does it: take up to `count`
 * messages as unacked, then settle or requeue them all at once. Requeueing only
 * after taking them all is what makes count=2 return two different messages.
 * (This belongs in the domain's queue; it lives here until the domain offers it.)
 */
import type { Queue } from '../../broker/queue/queue';
import { FetchedMessageView, presentFetchedMessage } from '../presenters/message.presenter';
import type { GetMessagesDto } from './dto/get-messages.dto';

export async function fetchMessages(queue: Queue, request: GetMessagesDto): Promise<FetchedMessageView[]> {
  const taken = [];
  const views: FetchedMessageView[] = [];
  for (let i = 0; i < request.count; i++) {
    // Messages paged out to the store are loaded first.
    const queued = queue.take(true) ?? (await queue.takeLoaded(true));
    if (!queued) break;
    taken.push(queued);
    // Presented now, before a requeue marks the message redelivered.
    views.push(presentFetchedMessage(queued, queue.messageCount, request));
  }
  const requeue = request.ackmode.endsWith('_requeue_true');
  for (const queued of taken) {
    if (requeue) queue.requeue(queued);
    else queue.settle(queued, request.ackmode.startsWith('ack_'));
  }
  return views;
}
