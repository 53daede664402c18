/**
 * Validation decorators composed once, for the DTOs of the management API.
 * "Optional" means absent: an explicit null fails the type check, where
 * class-validator's @IsOptional would let it through to the domain.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsObject, IsString, Max, Min, ValidateIf } from 'class-validator';

const whenPresent = () => ValidateIf((_object, value) => value !== undefined);

export const OptionalBoolean = (description?: string) =>
  applyDecorators(whenPresent(), IsBoolean(), ApiPropertyOptional({ type: Boolean, description }));

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
  applyDecorators(whenPresent(), IsInt(), Min(min), Max(max), ApiPropertyOptional({ type: Number, minimum: min, maximum: max, description }));
