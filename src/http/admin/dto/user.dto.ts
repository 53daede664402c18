/** PUT /api/users/{name} and POST /api/users/bulk-delete, as RabbitMQ's API (and rabbitmqadmin) send them. */
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsString, ValidateIf } from 'class-validator';
import { HASHING_ALGORITHMS } from '../../../broker/auth/password-hash';
import { Storable } from '../../common/storable-text';
import { Ignored, OptionalString, OptionalTags } from '../../common/validation';

export class UserDto {
  @OptionalString('the password, hashed as RabbitMQ does; or give password_hash')
  password?: string;

  @OptionalString('base64 of a 4-byte salt and the digest, as RabbitMQ exports it; "" for no password')
  password_hash?: string;

  @ValidateIf((_object, value) => value !== undefined)
  @IsIn(Object.keys(HASHING_ALGORITHMS), { message: `hashing_algorithm must be one of ${Object.keys(HASHING_ALGORITHMS).join(', ')}` })
  hashing_algorithm?: string;

  @OptionalTags('administrator, monitoring, policymaker, management, or any other; comma-separated or a list')
  @Storable()
  tags?: string | string[];

  @Ignored('ignored: the URL names the user')
  name?: unknown;

  @Ignored('accepted and ignored: Warren has no per-user limits')
  limits?: unknown;
}

export class BulkDeleteUsersDto {
  @IsArray()
  @ArrayMaxSize(100_000)
  @IsString({ each: true })
  @ApiProperty({ type: [String] })
  users: string[];
}
