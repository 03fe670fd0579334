import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, CurrentActor, IdPipe, Roles, XLSX_MIME } from '@shipei/core';
import {
  LecturerQuery,
  LecturerResultsDto,
  PutSurveyDto,
  SubmitSurveyDto,
  SurveyDto,
  SurveyResultsDto,
  SurveySubmittedDto,
  SurveyTemplateDto,
} from './dto/survey.dto';
import { SurveyResultsService } from './survey-results.service';
import { defaultSurvey } from './survey-template';
import { SurveysService } from './surveys.service';

/** 训后评价 (spec §15): the form, the anonymous answers, the results and their export. */
@ApiTags('evaluation')
@ApiBearerAuth()
@Controller('v1')
export class SurveysController {
  constructor(
    private readonly surveys: SurveysService,
    private readonly results: SurveyResultsService,
  ) {}

  @Get('survey-templates/default')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '默认评价模板（国培常用题目；按课次的评分题在设置到班级时按本班课次生成）' })
  @ApiOkResponse({ type: SurveyTemplateDto })
  template(): SurveyTemplateDto {
    return { questions: defaultSurvey() };
  }

  @Put('cohorts/:id/survey')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '设置本班评价问卷（项目主办单位）；已有学员提交 → 409 SURVEY_HAS_RESPONSES' })
  @ApiOkResponse({ type: SurveyDto })
  @ApiConflictResponse({ description: 'SURVEY_HAS_RESPONSES' })
  put(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: PutSurveyDto): Promise<SurveyDto> {
    return this.surveys.put(actor, id, body);
  }

  @Get('cohorts/:id/survey')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER', 'TEACHER')
  @ApiOperation({ summary: '本班评价问卷（含题目 id）；教师另返回本人是否已提交' })
  @ApiOkResponse({ type: SurveyDto })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<SurveyDto> {
    return this.surveys.get(actor, id);
  }

  @Post('cohorts/:id/survey/responses')
  @HttpCode(201)
  @Roles('TEACHER')
  @ApiOperation({
    summary:
      '提交评价（本班学员，每人一次，匿名：回答不与学员关联）；再次提交 → 409 SURVEY_ANSWERED；班级结束日前 → 409 SURVEY_NOT_OPEN',
  })
  @ApiCreatedResponse({ type: SurveySubmittedDto })
  @ApiConflictResponse({ description: 'SURVEY_ANSWERED, SURVEY_NOT_OPEN, SURVEY_NOT_SET' })
  async respond(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: SubmitSurveyDto,
  ): Promise<SurveySubmittedDto> {
    await this.surveys.respond(actor, id, body);
    return { submitted: true };
  }

  @Get('cohorts/:id/survey/results')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({
    summary:
      '评价结果（项目主办单位、本班培训教师）：每题平均分、分布、作答数、回收率；不足 5 份不显示；开放题回答仅主办单位可见',
  })
  @ApiOkResponse({ type: SurveyResultsDto })
  resultsOf(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<SurveyResultsDto> {
    return this.results.results(actor, id);
  }

  @Get('cohorts/:id/survey/results.xlsx')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '导出评价结果（Excel，流式；开放题回答仅主办单位导出）' })
  @ApiProduces(XLSX_MIME)
  @ApiOkResponse({ description: 'xlsx', schema: { type: 'string', format: 'binary' } })
  async export(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    const f = await this.results.export(actor, id);
    return new StreamableFile(f.stream, { type: f.type, disposition: f.disposition });
  }

  @Get('survey/lecturers')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '授课教师评价汇总（按年度，跨班级；只计入评价达到 5 份的班级；县区为其主办的项目）' })
  @ApiOkResponse({ type: LecturerResultsDto })
  lecturers(@CurrentActor() actor: Actor, @Query() q: LecturerQuery): Promise<LecturerResultsDto> {
    return this.results.lecturers(actor, q.year);
  }
}
