import { Body, Controller, Headers, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor, contentDisposition, CurrentActor, IdPipe, Roles } from '@shipei/core';
import type { FastifyReply } from 'fastify';
import { OpenAccountsDto, OpenedAccountDto, TemporaryPasswordDto, UpdateUserDto, UserDto } from '../dto/user.dto';
import { AccountsService } from './accounts.service';
import { AccountSlips, wantsPdf } from './account-slips.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly slips: AccountSlips,
  ) {}

  @Patch('users/:id')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '修改账号：角色、所属单位（市级）、启用/停用；该账号的令牌立即失效' })
  @ApiOkResponse({ type: UserDto })
  update(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return this.accounts.update(actor, id, dto);
  }

  @Post('users/:id/reset-password')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '重置密码为一次性密码（下次登录须修改）；该账号的令牌立即失效，锁定解除' })
  @ApiOkResponse({ type: TemporaryPasswordDto })
  resetPassword(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<TemporaryPasswordDto> {
    return this.accounts.resetPassword(actor, id);
  }

  @Post('users/:id/unlock')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '解锁：清除该账号在所有地址的登录失败锁定' })
  @ApiOkResponse({ type: UserDto })
  unlock(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<UserDto> {
    return this.accounts.unlock(actor, id);
  }

  @Post('teachers/accounts')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary:
      '批量开通教师账号（用户名为手机号，一次性密码）；已有账号的教师不含密码。Accept: application/pdf 时返回开通通知单 PDF',
  })
  @ApiProduces('application/json', 'application/pdf')
  @ApiCreatedResponse({ type: [OpenedAccountDto] })
  async open(
    @CurrentActor() actor: Actor,
    @Body() dto: OpenAccountsDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OpenedAccountDto[] | Buffer> {
    const opened = await this.accounts.openForTeachers(actor, dto.teacherIds);
    if (!wantsPdf(accept)) return opened;
    const pdf = await this.slips.render(opened);
    void reply
      .header('content-type', 'application/pdf')
      .header('cache-control', 'no-store')
      .header('content-disposition', contentDisposition('账号开通通知单.pdf', 'attachment', 'account-slips.pdf'));
    return pdf;
  }
}
