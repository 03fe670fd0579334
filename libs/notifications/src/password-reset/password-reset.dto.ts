import { ApiProperty } from '@nestjs/swagger';
import { MOBILE as PHONE } from '@shipei/people';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

const PHONE_MESSAGE = '手机号应为 11 位，以 13–19 开头';

export class PasswordResetCodeDto {
  @ApiProperty({ example: '13912345678', description: '教师账号的手机号' })
  @IsString()
  @Matches(PHONE, { message: PHONE_MESSAGE })
  phone: string;
}

export class PasswordResetDto {
  @ApiProperty({ example: '13912345678' })
  @IsString()
  @Matches(PHONE, { message: PHONE_MESSAGE })
  phone: string;

  @ApiProperty({ example: '042917', description: '短信验证码（6 位数字）' })
  @IsString()
  @Matches(/^\d{6}$/, { message: '验证码为 6 位数字' })
  code: string;

  @ApiProperty({ description: '新密码：至少 8 位，含字母和数字' })
  @IsString()
  @MinLength(8, { message: '密码长度至少 8 位' })
  @MaxLength(128)
  newPassword: string;
}

export class PasswordResetAcceptedDto {
  @ApiProperty({ example: '如该手机号已注册，验证码将发送至该手机，10分钟内有效' })
  message: string;
}
