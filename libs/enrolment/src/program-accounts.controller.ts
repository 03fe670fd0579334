import { Controller, Headers, Param, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { AccountSlips, OpenedAccountDto, wantsPdf } from '@shipei/auth';
import { Actor, contentDisposition, CurrentActor, IdPipe, Roles } from '@shipei/core';
import type { FastifyReply } from 'fastify';
import { ProgramAccountsService } from './accounts/program-accounts.service';

/** The accounts of a program's approved trainees, opened in one batch, with printable slips. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/programs')
export class ProgramAccountsController {
  constructor(
    private readonly accounts: ProgramAccountsService,
    private readonly slips: AccountSlips,
  ) {}

  @Post(':id/accounts')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary:
      '为项目审核通过的学员批量开通账号（市级：全部；县区：本县区教师）；已有账号的不含密码。Accept: application/pdf 时返回开通通知单 PDF',
  })
  @ApiProduces('application/json', 'application/pdf')
  @ApiCreatedResponse({ type: [OpenedAccountDto] })
  @ApiConflictResponse({ description: 'NO_APPROVED_TRAINEES：没有审核通过的学员' })
  async open(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) programId: number,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OpenedAccountDto[] | Buffer> {
    const opened = await this.accounts.open(actor, programId);
    if (!wantsPdf(accept)) return opened;
    const pdf = await this.slips.render(opened);
    void reply
      .header('content-type', 'application/pdf')
      .header('cache-control', 'no-store')
      .header('content-disposition', contentDisposition('账号开通通知单.pdf', 'attachment', 'account-slips.pdf'));
    return pdf;
  }
}
