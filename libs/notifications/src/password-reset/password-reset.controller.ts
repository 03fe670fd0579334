import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, RateLimit } from '@shipei/core';
import { PasswordResetAcceptedDto, PasswordResetCodeDto, PasswordResetDto } from './password-reset.dto';
import { RESET_CODE_MINUTES, RESET_PER_ADDRESS, PasswordResetService } from './password-reset.service';

/** Spec §13: a teacher resets a forgotten password with a code sent to their phone (with SMS configured). */
@ApiTags('auth')
@Controller('v1/auth/password-reset')
export class PasswordResetController {
  constructor(private readonly reset: PasswordResetService) {}

  @Post('code')
  @Public()
  @HttpCode(202)
  @RateLimit('password-reset', RESET_PER_ADDRESS, 600)
  @ApiOperation({
    summary:
      '找回密码：向教师账号的手机发送 6 位验证码（10 分钟内有效，可试 5 次）。无论手机号是否注册都答 202，不泄露账号是否存在；每个手机号每小时至多 5 次，每个地址每 10 分钟至多 60 次（429）；未开通短信时 404 SMS_RESET_UNAVAILABLE',
  })
  @ApiAcceptedResponse({ type: PasswordResetAcceptedDto })
  async code(@Body() dto: PasswordResetCodeDto, @Req() req: { ip?: string }): Promise<PasswordResetAcceptedDto> {
    await this.reset.requestCode(dto.phone, req.ip);
    return { message: `如该手机号已注册，验证码将发送至该手机，${RESET_CODE_MINUTES}分钟内有效` };
  }

  @Post()
  @Public()
  @HttpCode(204)
  @RateLimit('password-reset', RESET_PER_ADDRESS, 600)
  @ApiOperation({
    summary:
      '找回密码：以短信验证码设置新密码，本账号的全部登录随即失效。验证码错误、过期或用尽 5 次为 400 INVALID_RESET_CODE；未开通短信时 404',
  })
  @ApiNoContentResponse({ description: '密码已重置，请用新密码登录' })
  async resetPassword(@Body() dto: PasswordResetDto, @Req() req: { ip?: string }): Promise<void> {
    await this.reset.reset(dto.phone, dto.code, dto.newPassword, req.ip);
  }
}
