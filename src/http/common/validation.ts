/**
 * Validation decorators composed once, for the DTOs of the management API.
 * "Optional" means absent: an explicit null fails the type check, where
 * class-validator's @IsOptional would let it through to the domain.
 *
 * Looseness RabbitMQ accepts, because its CLI and UI send it: booleans as the
 * strings "true"/"false" and integers as strings of digits ("count": "1").
 * Anything else of the wrong type is still refused with 400 and a reason.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Allow, IsBoolean, IsInt, IsObject, IsString, Max, Min, ValidateBy, ValidateIf } from 'class-validator';

const whenPresent = () => ValidateIf((_object, value) => value !== undefined);

/** "true" and "false" become booleans, as RabbitMQ's parse_bool reads them; other values are left for the type check. */
export const stringToBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

/** A string of digits (with an optional sign) becomes the integer it spells, as RabbitMQ's parse_int. */
export const stringToInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value) ? Number(value) : value;

export const OptionalBoolean = (description?: string) =>
  applyDecorators(Transform(stringToBoolean), whenPresent(), IsBoolean(), ApiPropertyOptional({ type: Boolean, description }));

export const OptionalString = (description?: string) =>
  applyDecorators(whenPresent(), IsString(), ApiPropertyOptional({ type: String, description }));

/** An AMQP field table as a JSON object (not an array, not null). */
export const OptionalTable = (description?: string) =>
  applyDecorators(
    whenPresent(),
    IsObject({ message: '$property must be a JSON object' }),
    ApiPropertyOptional({ type: 'object', additionalProperties: true, description }),
  );

export const OptionalInt = (min: number, max: number, description?: string) =>
  applyDecorators(
    Transform(stringToInteger),
    whenPresent(),
    IsInt(),
    Min(min),
    Max(max),
    ApiPropertyOptional({ type: Number, minimum: min, maximum: max, description }),
  );

/** Fields tools send that the URL decides (name, vhost...): accepted whatever they hold, and not used. */
export const Ignored = (description: string) => applyDecorators(Allow(), ApiPropertyOptional({ description }));

/** Tags as RabbitMQ takes them: a comma-separated string or an array of strings. */
export const OptionalTags = (description?: string) =>
  applyDecorators(
    whenPresent(),
    ValidateBy({
      name: 'isTags',
      validator: {
        validate: (value) => typeof value === 'string' || (Array.isArray(value) && value.every((tag) => typeof tag === 'string')),
        defaultMessage: (args) => `${args?.property} must be a comma-separated string or an array of strings`,
      },
    }),
    ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description }),
  );
