import { hostname } from 'os';
import { version } from '../../../package.json';

/** Warren is one node; RabbitMQ names nodes `name@host`, and clients display it. */
export const NODE_NAME = `warren@${hostname()}`;

export const PRODUCT_NAME = 'Warren';
export const PRODUCT_VERSION: string = version;

/**
 * The RabbitMQ release whose management API this one mirrors. Tools that read
 * `rabbitmq_version` or `management_version` to pick features see this.
 */
export const RABBITMQ_COMPATIBLE_VERSION = '3.12.0';
