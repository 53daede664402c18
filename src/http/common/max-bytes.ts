import { ValidateBy } from 'class-validator';

/** At most `max` bytes of UTF-8: AMQP short strings (names, routing keys) hold 255. */
export const MaxBytes = (max: number) =>
  ValidateBy({
    name: 'maxBytes',
    constraints: [max],
    validator: {
      validate: (value) => typeof value !== 'string' || Buffer.byteLength(value, 'utf8') <= max,
      defaultMessage: (args) => `${args?.property} must be at most ${max} bytes of UTF-8`,
    },
  });
