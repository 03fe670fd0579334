import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, AllowPasswordChangePending, CurrentActor, Public, RateLimit } from '@shipei/core';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto, LoginResponseDto, SessionUserDto } from './dto/auth.dto';

/** Login attempts per client address and minute (the account lock-out is separate, in the database). */
export const LOGIN_LIMIT = 20;

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @RateLimit(LOGIN_LIMIT)
  @ApiOperation({ summary: '登录：连续失败 5 次锁定 15 分钟；同一 IP 每分钟至多 20 次' })
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

  @Get('me')
  @ApiBearerAuth()
  @AllowPasswordChangePending()
  @ApiOperation({ summary: '当前登录用户' })
  @ApiOkResponse({ type: SessionUserDto })
  me(@CurrentActor() actor: Actor): Promise<SessionUserDto> {
    return this.auth.me(actor);
  }
}
