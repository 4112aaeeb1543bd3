/**
 * Request bodies of the auth and organisation routes, validated at the edge.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ROLES, type Role } from './access-rules';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password';

export class LoginDto {
  @ApiProperty({ example: 'owner@example.com' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  email: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class AddMemberDto {
  @ApiProperty({ example: 'agent@example.com' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ description: 'Display name of a new user' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'Required when no user has this email yet' })
  @IsOptional()
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password?: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;
}

export const API_KEY_ROLES = ['viewer', 'agent', 'editor'] as const;

export class CreateApiKeyDto {
  @ApiPropertyOptional({ example: 'shop backend' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'Limit the key to one knowledge base of the organisation' })
  @IsOptional()
  @IsUUID()
  kbId?: string;

  @ApiPropertyOptional({
    enum: API_KEY_ROLES,
    default: 'agent',
    description: 'agent can ask; editor can change content',
  })
  @IsOptional()
  @IsIn(API_KEY_ROLES)
  role?: Role;
}
