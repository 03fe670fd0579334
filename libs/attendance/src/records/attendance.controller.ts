import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, IdPipe, PageQuery, Roles } from '@shipei/core';
import { CompletionService } from '../completion/completion.service';
import { CompletionResultDto } from '../dto/completion.dto';
import {
  AttendanceRecordDto,
  CloseSessionResultDto,
  CohortAttendanceDto,
  MarkAttendanceDto,
  MyAttendanceDto,
  SessionAttendanceDto,
} from '../dto/attendance.dto';
import { AttendanceOutputsService, FileDownload } from '../outputs/attendance-outputs.service';
import { PassSheetQuery } from '../dto/pass.dto';
import { XLSX_MIME } from '../outputs/attendance-matrix';
import { AttendanceService } from './attendance.service';

const download = (f: FileDownload) =>
  new StreamableFile(f.body, { type: f.type, disposition: f.disposition, length: f.body.length });

@ApiTags('attendance')
@ApiBearerAuth()
@Controller('v1/sessions')
export class SessionAttendanceController {
  constructor(
    private readonly attendance: AttendanceService,
    private readonly outputs: AttendanceOutputsService,
  ) {}

  @Get(':id/attendance')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '课次考勤名单（培训教师屏幕）：每位学员的状态与「已签到 n / m」' })
  @ApiOkResponse({ type: SessionAttendanceDto })
  list(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() q: PageQuery,
  ): Promise<SessionAttendanceDto> {
    return this.attendance.sessionList(actor, id, q);
  }

  @Put(':id/attendance/:enrolmentId')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '培训教师标记或更正考勤（出勤/迟到/请假/缺勤），须填写原因，记入审计' })
  @ApiOkResponse({ type: AttendanceRecordDto })
  mark(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('enrolmentId', IdPipe) enrolmentId: number,
    @Body() dto: MarkAttendanceDto,
  ): Promise<AttendanceRecordDto> {
    return this.attendance.mark(actor, id, enrolmentId, dto);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '结束签到：课次结束后，将无记录的学员记为缺勤（可重复执行）' })
  @ApiOkResponse({ type: CloseSessionResultDto })
  close(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<CloseSessionResultDto> {
    return this.attendance.close(actor, id);
  }

  @Get(':id/sign-in-sheet.pdf')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '纸质签到表（PDF，A4 纵向，序号/姓名/学校/签名）' })
  @ApiProduces('application/pdf')
  async signInSheet(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    return download(await this.outputs.signInSheet(actor, id));
  }
}

@ApiTags('attendance')
@ApiBearerAuth()
@Controller('v1/cohorts')
export class CohortAttendanceController {
  constructor(
    private readonly attendance: AttendanceService,
    private readonly completion: CompletionService,
    private readonly outputs: AttendanceOutputsService,
  ) {}

  @Get(':id/passes.pdf')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({
    summary:
      '打印签到凭证（主办单位、本班培训教师）：layout=slips 报到凭证（每页 8 张，沿虚线裁开发给学员），layout=roster 凭证名册（扫码签到用）',
  })
  @ApiProduces('application/pdf')
  async passSheet(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() q: PassSheetQuery,
  ): Promise<StreamableFile> {
    return download(await this.outputs.passSheet(actor, id, q.layout ?? 'slips'));
  }

  @Get(':id/timetable.pdf')
  @ApiOperation({
    summary: '课程表（PDF，A4，按时间排列：日期、时间、课程、授课教师、教室、学时）：主办单位、本班培训教师、本班学员',
  })
  @ApiOkResponse({
    description: '课程表 PDF（A4）',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  async timetable(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    return download(await this.outputs.timetable(actor, id));
  }

  @Post(':id/completion')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({
    summary:
      '结业计算（主办单位、本班培训教师）：出勤学时 ÷ 总学时 ≥ 项目要求 → 结业并获得学时，否则未结业；可在更正后重算',
  })
  @ApiOkResponse({ type: CompletionResultDto })
  complete(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<CompletionResultDto> {
    return this.completion.complete(actor, id);
  }

  @Get(':id/attendance')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '班级考勤矩阵（学员 × 课次，出勤学时与出勤率）' })
  @ApiOkResponse({ type: CohortAttendanceDto })
  matrix(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<CohortAttendanceDto> {
    return this.attendance.cohortMatrix(actor, id);
  }

  @Get(':id/attendance.xlsx')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '导出班级考勤表（.xlsx）' })
  @ApiProduces(XLSX_MIME)
  async matrixXlsx(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    return download(await this.outputs.matrix(actor, id));
  }
}

@ApiTags('attendance')
@ApiBearerAuth()
@Controller('v1/me')
export class MyAttendanceController {
  constructor(private readonly attendance: AttendanceService) {}

  @Get('attendance')
  @Roles('TEACHER')
  @ApiOperation({ summary: '我的考勤（教师本人）：各班课次状态、出勤学时与出勤率' })
  @ApiOkResponse({ type: MyAttendanceDto })
  mine(@CurrentActor() actor: Actor): Promise<MyAttendanceDto> {
    return this.attendance.mine(actor);
  }
}
