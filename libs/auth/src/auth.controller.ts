import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, AllowPasswordChangePending, CurrentActor, Public, RateLimit } from '@shipei/core';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto, LoginResponseDto, SessionUserDto } from './dto/auth.dto';

/**
 * Login attempts per client address and window, counted in the database by every process. Sized for
 * a training venue behind one NAT address: 400 teachers logging in within ten minutes, with retries.
 * Guessing is bounded separately, per account (LoginAttempts).
 */
export const LOGIN_LIMIT = 600;
export const LOGIN_WINDOW_SECONDS = 600;

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @RateLimit('login', LOGIN_LIMIT, LOGIN_WINDOW_SECONDS)
  @ApiOperation({
    summary:
      '登录：同一账号在同一地址连续失败 5 次锁定 1 分钟起（逐次加倍，至多 15 分钟），各地址合计 50 次锁定账号（可由管理员解锁）；同一 IP 每 10 分钟至多 600 次',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  login(@Body() dto: LoginDto, @Req() req: { ip?: string; id?: string }): Promise<LoginResponseDto> {
    return this.auth.login(dto.username, dto.password, { ip: req.ip, requestId: req.id });
  }

  @Post('password')
  @HttpCode(200)
  @ApiBearerAuth()
  @AllowPasswordChangePending()
  @ApiOperation({ summary: '修改本人密码（首次登录必须修改）；返回新的令牌' })
  @ApiOkResponse({ type: LoginResponseDto })
  changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto): Promise<LoginResponseDto> {
    return this.auth.changePassword(actor, dto.currentPassword, dto.newPassword);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @AllowPasswordChangePending()
  @ApiOperation({ summary: '退出登录：本账号的全部令牌立即失效（各进程 1 秒内）' })
  @ApiNoContentResponse({ description: '已退出' })
  logout(@CurrentActor() actor: Actor): Promise<void> {
    return this.auth.logout(actor);
  }

  @Get('me')
  @ApiBearerAuth()
  @AllowPasswordChangePending()
  @ApiOperation({ summary: '当前登录用户' })
  @ApiOkResponse({ type: SessionUserDto })
  me(@CurrentActor() actor: Actor): Promise<SessionUserDto> {
    return this.auth.me(actor);
  }
}
