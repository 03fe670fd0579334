import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '@shipei/core';

export class LoginDto {
  @ApiProperty({ example: 'admin', description: '用户名；教师为手机号' })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  username: string;

  @ApiProperty({ example: 'Admin12345' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  currentPassword: string;

  @ApiProperty({ description: '至少 8 位，须含字母和数字' })
  @IsString()
  @MinLength(8, { message: '密码长度至少 8 位' })
  @MaxLength(128)
  newPassword: string;
}

export class SessionUserDto {
  @ApiProperty() id: number;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ nullable: true, type: Number }) organisationId: number | null;
  @ApiProperty({ nullable: true, type: Number }) teacherId: number | null;
  @ApiProperty() mustChangePassword: boolean;
}

export class LoginResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty() expiresIn: string;
  @ApiProperty({ type: SessionUserDto }) user: SessionUserDto;
}
