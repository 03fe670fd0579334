import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, CurrentActor, IdPipe, Roles, XLSX_MIME, xlsxUpload } from '@shipei/core';
import type { FastifyRequest } from 'fastify';
import { EntityManager } from 'typeorm';
import {
  CreateTeacherDto,
  TeacherDetailQuery,
  TeacherDto,
  TeacherPageDto,
  TeacherQuery,
  UpdateTeacherDto,
} from './dto/teacher.dto';
import {
  ImportInvalidDto,
  TeacherExportQuery,
  TeacherImportQuery,
  TeacherImportResultDto,
} from './excel/teacher-excel.dto';
import { TeacherExportService } from './excel/teacher-export.service';
import { TeacherImportService } from './excel/teacher-import.service';
import { TeachersService } from './teachers.service';

@ApiTags('teachers')
@ApiBearerAuth()
@Controller('v1/teachers')
export class TeachersController {
  constructor(
    private readonly teachers: TeachersService,
    private readonly imports: TeacherImportService,
    private readonly exports: TeacherExportService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Post()
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '登记教师（县区：本县区学校）；身份证号重复 → 409' })
  @ApiCreatedResponse({ type: TeacherDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTeacherDto): Promise<TeacherDto> {
    return this.teachers.create(actor, dto);
  }

  @Get()
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary:
      '教师列表（身份证号、手机号脱敏）：按 id 排序（按姓名查询时按姓名）；深页用 next/prev 游标（after=/before=）；筛选结果超过 10,000 条时 total 为估计值（totalExact=false）',
  })
  @ApiOkResponse({ type: TeacherPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: TeacherQuery): Promise<TeacherPageDto> {
    return this.teachers.list(this.em, actor, q);
  }

  @Post('import')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary: '从 Excel（.xlsx，字段 file）导入教师：全部行通过才写入；同一身份证号更新；市级须指定 countyId',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiOkResponse({ type: TeacherImportResultDto })
  @ApiBadRequestResponse({ type: ImportInvalidDto, description: 'IMPORT_INVALID：逐行列出错误，未写入任何数据' })
  async import(
    @CurrentActor() actor: Actor,
    @Query() q: TeacherImportQuery,
    @Req() req: FastifyRequest,
  ): Promise<TeacherImportResultDto> {
    return this.imports.import(this.em, actor, q.countyId, await xlsxUpload(req));
  }

  @Get('import-template')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '下载教师导入模板（.xlsx）' })
  @ApiProduces(XLSX_MIME)
  async template(): Promise<StreamableFile> {
    const t = await this.exports.template();
    return new StreamableFile(t.content, { type: XLSX_MIME, disposition: t.disposition, length: t.content.length });
  }

  @Get('export')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '导出教师名单（.xlsx，筛选条件同列表；脱敏；市级 ?full=true 导出完整信息，记入审计）' })
  @ApiProduces(XLSX_MIME)
  async export(@CurrentActor() actor: Actor, @Query() q: TeacherExportQuery): Promise<StreamableFile> {
    const file = await this.exports.export(this.em, actor, q, q.full);
    return new StreamableFile(file.stream, { type: XLSX_MIME, disposition: file.disposition });
  }

  @Get(':id')
  @ApiOperation({ summary: '教师详情（本人、本县区、市级）；市级 ?full=true 查看完整信息（审计）' })
  @ApiOkResponse({ type: TeacherDto })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() q: TeacherDetailQuery,
  ): Promise<TeacherDto> {
    return this.teachers.get(this.em, actor, id, q.full);
  }

  @Patch(':id')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOkResponse({ type: TeacherDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateTeacherDto,
  ): Promise<TeacherDto> {
    return this.teachers.update(actor, id, dto);
  }
}
