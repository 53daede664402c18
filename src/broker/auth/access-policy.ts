/**
 * THE place that decides what a user may do. AMQP channels and HTTP controllers
 * both ask it, with RabbitMQ's rules and wording:
 * - resources (rabbit_channel's check_configure/write/read): declare and delete
 *   need configure; publish needs write on the exchange; consume, get and purge
 *   need read on the queue; a binding needs write on its destination and read on
 *   its source; topic exchanges also check routing keys against topic permissions;
 * - vhosts: opening one needs a permission entry in it (530 NOT_ALLOWED);
 * - the management API, by tags: administrator does all; monitoring sees every
 *   vhost but changes nothing; management (and policymaker) see and act in the
 *   vhosts they have permissions in, under those permissions; policymaker also
 *   manages policies there. A user with none of these tags has no HTTP access.
 */
import { accessRefused, BrokerError } from '../errors';
import { assertNotDefaultExchange } from '../topology/names';
import type { PermissionService } from './permissions';
import type { User } from './users';

export type Permission = 'configure' | 'write' | 'read';
export type ResourceKind = 'exchange' | 'queue';

/** What the policy needs to know about the topology, without depending on it. */
export interface TopologyView {
  vhostExists(vhost: string): boolean;
  exchangeType(vhost: string, exchange: string): string | undefined;
}

/** The checks one user's actions in one vhost go through; each throws 403 ACCESS_REFUSED. */
export interface ResourceAccess {
  declareExchange(name: string, args: Record<string, unknown>, isNew: boolean): void;
  deleteExchange(name: string): void;
  declareQueue(name: string, args: Record<string, unknown>, isNew: boolean): void;
  deleteQueue(name: string): void;
  /** basic.consume, basic.get and queue.purge. */
  readQueue(name: string): void;
  /** Binding and unbinding alike. */
  bind(binding: { source: string; destination: string; destinationKind: ResourceKind; routingKey: string }): void;
  publish(exchange: string, routingKey: string): void;
}

export const isAdministrator = (tags: string[]) => tags.includes('administrator');
export const isMonitor = (tags: string[]) => tags.includes('administrator') || tags.includes('monitoring');
export const isPolicymaker = (tags: string[]) => tags.includes('administrator') || tags.includes('policymaker');
/** Tags that may change things over HTTP; monitoring alone only reads. */
const mayChange = (tags: string[]) => ['administrator', 'policymaker', 'management'].some((tag) => tags.includes(tag));
const isManagementUser = (tags: string[]) => mayChange(tags) || tags.includes('monitoring');

export class AccessPolicy {
  constructor(private readonly permissions: PermissionService, private readonly topology: TopologyView) {}

  // ---- AMQP ----------------------------------------------------------------

  hasVhostAccess(user: string, vhost: string): boolean {
    return this.permissions.of(user, vhost) !== undefined;
  }

  /** connection.open: 530 NOT_ALLOWED, which closes the connection. */
  assertVhostAccess(user: string, vhost: string): void {
    if (!this.hasVhostAccess(user, vhost)) throw new BrokerError('NOT_ALLOWED', `access to vhost '${vhost}' refused for user '${user}'`);
  }

  resources(user: string, vhost: string): ResourceAccess {
    return new ResourceChecks(this.permissions, this.topology, user, vhost);
  }

  // ---- management API ------------------------------------------------------

  assertManagementUser(user: User): void {
    if (!isManagementUser(user.tags)) throw accessRefused('Not management user');
  }

  assertAdministrator(user: User): void {
    if (!isAdministrator(user.tags)) throw accessRefused('Not administrator user');
  }

  /** Monitoring users see every vhost; others those they have permissions in. */
  visibleVhosts(user: User, vhosts: string[]): string[] {
    return isMonitor(user.tags) ? vhosts : vhosts.filter((vhost) => this.hasVhostAccess(user.name, vhost));
  }

  /** Reading in a vhost. One that does not exist passes, so that the answer is its 404. */
  assertCanSee(user: User, vhost: string): void {
    if (isMonitor(user.tags) || !this.topology.vhostExists(vhost) || this.hasVhostAccess(user.name, vhost)) return;
    throw accessRefused('User not authorised to access virtual host');
  }

  /** Changing things in a vhost; the resource checks of httpResources() come on top. */
  assertCanChange(user: User, vhost: string): void {
    if (isAdministrator(user.tags)) return;
    if (!mayChange(user.tags)) throw accessRefused('User not authorised to change anything: monitoring is read-only');
    if (this.topology.vhostExists(vhost) && !this.hasVhostAccess(user.name, vhost)) throw accessRefused('User not authorised to access virtual host');
  }

  /** Policies and parameters: administrators, and policymakers in their vhosts. */
  assertMayManagePolicies(user: User, vhost: string): void {
    if (isAdministrator(user.tags) || (isPolicymaker(user.tags) && this.hasVhostAccess(user.name, vhost))) return;
    throw accessRefused('User not authorised to access object');
  }

  /** Administrators act without resource checks over HTTP; everyone else under their AMQP permissions. */
  httpResources(user: User, vhost: string): ResourceAccess {
    return isAdministrator(user.tags) ? UNRESTRICTED : this.resources(user.name, vhost);
  }
}

/** For administrators over HTTP and the broker's own work (definitions imported by an administrator). */
export const UNRESTRICTED: ResourceAccess = {
  declareExchange: () => undefined,
  deleteExchange: () => undefined,
  declareQueue: () => undefined,
  deleteQueue: () => undefined,
  readQueue: () => undefined,
  bind: () => undefined,
  publish: () => undefined,
};

/**
 * Permissions are looked up on every check, so a change applies to open channels
 * at once; only the last exchange published to is remembered, until any change.
 */
class ResourceChecks implements ResourceAccess {
  private writable?: string;
  private writableVersion = -1;

  constructor(
    private readonly permissions: PermissionService,
    private readonly topology: TopologyView,
    private readonly user: string,
    private readonly vhost: string,
  ) {}

  declareExchange(name: string, args: Record<string, unknown>, isNew: boolean): void {
    this.check('exchange', name, 'configure');
    const alternate = args['alternate-exchange'];
    if (isNew && typeof alternate === 'string') {
      this.check('exchange', name, 'read');
      this.check('exchange', alternate, 'write');
    }
  }

  deleteExchange(name: string): void {
    this.check('exchange', name, 'configure');
  }

  declareQueue(name: string, args: Record<string, unknown>, isNew: boolean): void {
    this.check('queue', name, 'configure');
    const deadLetterExchange = args['x-dead-letter-exchange'];
    if (isNew && typeof deadLetterExchange === 'string') {
      this.check('queue', name, 'read');
      this.check('exchange', deadLetterExchange, 'write');
    }
  }

  deleteQueue(name: string): void {
    this.check('queue', name, 'configure');
  }

  readQueue(name: string): void {
    this.check('queue', name, 'read');
  }

  bind(binding: { source: string; destination: string; destinationKind: ResourceKind; routingKey: string }): void {
    this.check(binding.destinationKind, binding.destination, 'write');
    if (binding.destinationKind === 'exchange') assertNotDefaultExchange(binding.destination);
    assertNotDefaultExchange(binding.source);
    this.check('exchange', binding.source, 'read');
    this.checkTopic(binding.source, binding.routingKey, 'read');
  }

  publish(exchange: string, routingKey: string): void {
    if (exchange !== this.writable || this.writableVersion !== this.permissions.version) {
      this.check('exchange', exchange, 'write');
      this.writable = exchange;
      this.writableVersion = this.permissions.version;
    }
    this.checkTopic(exchange, routingKey, 'write');
  }

  private check(kind: ResourceKind, name: string, permission: Permission): void {
    const granted = this.permissions.of(this.user, this.vhost);
    // RabbitMQ names the default exchange amq.default in permissions and in their refusals.
    const resource = kind === 'exchange' && name === '' ? 'amq.default' : name;
    if (granted && granted[permission].test(resource)) return;
    throw accessRefused(`access to ${kind} '${resource}' in vhost '${this.vhost}' refused for user '${this.user}'`);
  }

  /** Only topic exchanges that exist are checked, and only where the user has topic permissions for them. */
  private checkTopic(exchange: string, routingKey: string, permission: 'write' | 'read'): void {
    // Most users have no topic permissions: that lookup is the cheaper one, so it goes first.
    const granted = this.permissions.topicOf(this.user, this.vhost, exchange);
    if (!granted || this.topology.exchangeType(this.vhost, exchange) !== 'topic' || granted[permission].test(routingKey)) return;
    throw accessRefused(`access to topic '${routingKey}' in exchange '${exchange}' in vhost '${this.vhost}' refused for user '${this.user}'`);
  }
}
