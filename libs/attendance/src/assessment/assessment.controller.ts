import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, contentDisposition, CurrentActor, IdPipe, Roles, XLSX_MIME, xlsxUpload } from '@shipei/core';
import type { FastifyRequest } from 'fastify';
import {
  CohortScoresDto,
  EnrolmentAssessmentDto,
  ProgramAssessmentDto,
  ScoreImportInvalidDto,
  ScoresResultDto,
  SetAssessmentItemsDto,
  SetScoresDto,
} from '../dto/assessment.dto';
import { AssessmentService } from './assessment.service';
import { ScoresExcelService } from './scores-excel.service';
import { readSubmission, SUBMISSION_TYPES } from './submission-file';
import { SubmissionService } from './submission.service';

const FILE_BODY = {
  schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
};

@ApiTags('assessment')
@ApiBearerAuth()
@Controller('v1')
export class AssessmentController {
  constructor(
    private readonly assessment: AssessmentService,
    private readonly excel: ScoresExcelService,
    private readonly submissions: SubmissionService,
  ) {}

  @Get('programs/:id/assessment')
  @ApiOperation({ summary: '培训项目的考核项目（可查看该项目者）' })
  @ApiOkResponse({ type: ProgramAssessmentDto })
  items(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ProgramAssessmentDto> {
    return this.assessment.items(actor, id);
  }

  @Put('programs/:id/assessment')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary:
      '设置考核项目（主办单位）：全部项目按顺序提交，按名称对应已有项目；已有成绩的项目不能删除、满分不能低于已录成绩；及格分变动会重新认定已结业班级的结果（已颁证学员受影响时 409）',
  })
  @ApiOkResponse({ type: ProgramAssessmentDto })
  setItems(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: SetAssessmentItemsDto,
  ): Promise<ProgramAssessmentDto> {
    return this.assessment.setItems(actor, id, dto.items);
  }

  @Get('cohorts/:id/scores')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '本班考核成绩（本班培训教师、主办单位）：每名学员每个考核项目的成绩与提交材料' })
  @ApiOkResponse({ type: CohortScoresDto })
  scores(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<CohortScoresDto> {
    return this.assessment.cohortScores(actor, id);
  }

  @Put('cohorts/:id/scores')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({
    summary:
      '录入成绩（本班培训教师、主办单位）：成绩不超过满分；已计算结业的学员随即重新认定；已颁发证书的学员不能改成绩（409，先撤销证书）',
  })
  @ApiOkResponse({ type: ScoresResultDto })
  setScores(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: SetScoresDto,
  ): Promise<ScoresResultDto> {
    return this.assessment.setScores(actor, id, dto.scores);
  }

  @Get('cohorts/:id/scores/template')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '下载成绩导入模板（.xlsx）：本班名单与当前成绩' })
  @ApiProduces(XLSX_MIME)
  @ApiOkResponse({
    description: '.xlsx 模板',
    content: { [XLSX_MIME]: { schema: { type: 'string', format: 'binary' } } },
  })
  async template(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    const t = await this.excel.template(actor, id);
    return new StreamableFile(t.content, { type: XLSX_MIME, disposition: t.disposition, length: t.content.length });
  }

  @Post('cohorts/:id/scores/import')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '从 Excel（.xlsx，字段 file）导入成绩：全部行通过才写入，错误逐行列出' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FILE_BODY)
  @ApiOkResponse({ type: ScoresResultDto })
  @ApiBadRequestResponse({ type: ScoreImportInvalidDto, description: 'IMPORT_INVALID：逐行列出错误，未写入任何成绩' })
  async import(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Req() req: FastifyRequest,
  ): Promise<ScoresResultDto> {
    return this.excel.import(actor, id, await xlsxUpload(req));
  }

  @Get('enrolments/:id/assessment')
  @ApiOperation({ summary: '一名学员的考核项目、成绩与提交材料（学员本人、本班培训教师、主办单位）' })
  @ApiOkResponse({ type: EnrolmentAssessmentDto })
  enrolment(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<EnrolmentAssessmentDto> {
    return this.submissions.view(actor, id);
  }

  @Put('enrolments/:id/submissions/:itemId')
  @Roles('TEACHER')
  @ApiOperation({
    summary: '上传考核材料（学员本人）：PDF、Word（.docx/.doc）或图片，≤ 20 MB，按内容识别格式；再次上传即替换',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FILE_BODY)
  @ApiOkResponse({ type: EnrolmentAssessmentDto })
  async upload(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('itemId', IdPipe) itemId: number,
    @Req() req: FastifyRequest,
  ): Promise<EnrolmentAssessmentDto> {
    return this.submissions.upload(actor, id, itemId, await readSubmission(req));
  }

  @Get('enrolments/:id/submissions/:itemId')
  @ApiOperation({ summary: '下载考核材料（学员本人、本班培训教师、主办单位）' })
  @ApiProduces(...SUBMISSION_TYPES)
  @ApiOkResponse({
    description: '文件（类型为上传时按内容识别的格式）',
    content: Object.fromEntries(SUBMISSION_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
  })
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('itemId', IdPipe) itemId: number,
  ): Promise<StreamableFile> {
    const f = await this.submissions.download(actor, id, itemId);
    // A download, never rendered in the app's origin: the type is the one sniffed at upload.
    return new StreamableFile(f.content, {
      type: f.contentType,
      length: f.content.length,
      disposition: contentDisposition(f.filename, 'attachment', 'submission'),
    });
  }
}
