/** "AMQP" 0 0 9 1: what a 0-9-1 peer sends first, and what we answer to a mismatch. */
export const AMQP_PROTOCOL_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]);
