import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
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
}
