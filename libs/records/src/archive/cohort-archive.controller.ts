import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import { ZIP_MIME } from '../shared/files';
import { CohortArchiveService } from './cohort-archive.service';

@ApiTags('records')
@ApiBearerAuth()
@Controller('v1/cohorts')
export class CohortArchiveController {
  constructor(private readonly archives: CohortArchiveService) {}

  @Get(':id/archive.zip')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({
    summary:
      '一期一档：已结束班级的档案 ZIP（说明、花名册、课程安排、考勤表、各课次签到表、请假记录、结业情况、证书登记册、结业证书），流式下载，同一数据每次生成内容相同；项目主办单位与本班培训教师',
  })
  @ApiProduces(ZIP_MIME)
  @ApiNotFoundResponse({ description: '班级不存在或无权查看' })
  @ApiForbiddenResponse({ description: 'NOT_SESSION_MANAGER：可查看班级但不是主办单位或本班培训教师' })
  @ApiConflictResponse({ description: 'COHORT_NOT_FINISHED：班级尚未结束' })
  async archive(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    const f = await this.archives.archive(actor, id);
    return new StreamableFile(f.body, { type: f.type, disposition: f.disposition });
  }
}
