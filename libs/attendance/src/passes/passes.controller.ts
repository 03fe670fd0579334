import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, IdPipe, JsonSchemaPipe, Public, Roles } from '@shipei/core';
import { EnrolmentDto } from '@shipei/enrolment';
import { CheckinPassDto, PassPublicKeyDto, SCANS_BODY, ScansBody, ScanSyncResultDto } from '../dto/pass.dto';
import { PassesService } from './passes.service';
import { ScansService } from './scans.service';

@ApiTags('attendance')
@ApiBearerAuth()
@Controller('v1/enrolments')
export class EnrolmentPassController {
  constructor(private readonly passes: PassesService) {}

  @Get(':id/pass')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER', 'TEACHER')
  @ApiOperation({ summary: '个人签到凭证（教师本人、本班培训教师、主办单位）：已分班的报名，离线可验的签名二维码' })
  @ApiOkResponse({ type: CheckinPassDto })
  pass(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<CheckinPassDto> {
    return this.passes.pass(actor, id);
  }

  @Post(':id/on-site-confirm')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '现场报到（本班培训教师、主办单位）：审核通过 → 已报到，记入审计' })
  @ApiOkResponse({ type: EnrolmentDto })
  confirmOnSite(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<EnrolmentDto> {
    return this.passes.confirmOnSite(actor, id);
  }
}

@ApiTags('attendance')
@Controller('v1/checkin-passes')
export class PassKeyController {
  constructor(private readonly passes: PassesService) {}

  @Get('public-key')
  @Public()
  @ApiOperation({ summary: '验证签到凭证的公钥（任何人可取）' })
  @ApiOkResponse({ type: PassPublicKeyDto })
  publicKey(): Promise<PassPublicKeyDto> {
    return this.passes.publicKey();
  }
}

@ApiTags('attendance')
@ApiBearerAuth()
@Controller('v1/sessions')
export class ScansController {
  constructor(private readonly scans: ScansService) {}

  @Post(':id/scans')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({
    summary:
      '上传离线扫码记录（本班培训教师、主办单位）：逐条验签，按扫码时间计入；签到时段外、晚于上传时间 2 分钟以上、签名无效的不计入；可重复上传',
  })
  @ApiBody({ schema: SCANS_BODY })
  @ApiOkResponse({ type: ScanSyncResultDto })
  sync(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body(new JsonSchemaPipe<ScansBody>(SCANS_BODY)) body: ScansBody,
  ): Promise<ScanSyncResultDto> {
    return this.scans.sync(actor, id, body);
  }
}
