import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageQuery, ROLES, type Role } from '@shipei/core';

export class CreateUserDto {
  @ApiProperty({ description: '用户名（字母、数字、下划线）；教师账号为其手机号' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.@-]{3,50}$/, { message: '用户名为 3–50 位字母、数字或 _ . @ -' })
  username: string;

  @ApiProperty({ description: '一次性初始密码，至少 8 位，含字母和数字；首次登录须修改' })
  @IsString()
  @MinLength(8, { message: '密码长度至少 8 位' })
  @MaxLength(128)
  password: string;

  @ApiProperty({ enum: ROLES }) @IsIn(ROLES as unknown as string[]) role: Role;

  @ApiPropertyOptional({ description: '所属单位（县区管理员为县区；培训教师可为承训机构）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  organisationId?: number;

  @ApiPropertyOptional({ description: '教师账号对应的教师' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  teacherId?: number;

  @ApiPropertyOptional({ description: '显示名' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  displayName?: string;

  @ApiPropertyOptional({ description: '电子邮箱，用于接收邮件通知' })
  @IsOptional()
  @IsEmail({}, { message: '电子邮箱格式不正确' })
  @MaxLength(200)
  email?: string;
}

export class UserQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES as unknown as string[]) role?: Role;

  @ApiPropertyOptional({ description: '所属单位' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  organisationId?: number;

  @ApiPropertyOptional({ description: '用户名或显示名包含' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  q?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES, description: '仅市级管理员；教师账号与其他账号之间不能互改' })
  @IsOptional()
  @IsIn(ROLES as unknown as string[])
  role?: Role;

  @ApiPropertyOptional({ nullable: true, type: Number, description: '所属单位（仅市级管理员）' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  organisationId?: number | null;

  @ApiPropertyOptional({ description: '启用 / 停用' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class OpenAccountsDto {
  @ApiProperty({ type: [Number], description: '教师 ID，1–500 个' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsInt({ each: true })
  teacherIds: number[];
}

export class OpenedAccountDto {
  @ApiProperty() teacherId: number;
  @ApiProperty() name: string;
  @ApiProperty() userId: number;
  @ApiProperty({ description: '用户名（教师手机号，开通通知单上须完整显示）' }) username: string;
  @ApiProperty({ nullable: true, type: String, description: '一次性密码；已有账号的教师为 null' })
  temporaryPassword: string | null;
}

export class TemporaryPasswordDto {
  @ApiProperty({ description: '一次性密码，首次登录须修改；不会再次显示' }) temporaryPassword: string;
}

export class UserDto {
  @ApiProperty() id: number;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ nullable: true, type: Number }) organisationId: number | null;
  @ApiProperty({ nullable: true, type: Number }) teacherId: number | null;
  @ApiProperty() mustChangePassword: boolean;
  @ApiProperty() active: boolean;
  @ApiProperty({ nullable: true, type: String, description: '电子邮箱（脱敏）' }) email: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: '账号锁定至（各地址合计失败过多）' })
  lockedUntil: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastLoginAt: string | null;
}
