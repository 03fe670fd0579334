import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, IdPipe } from '@shipei/core';
import { PDF_MIME, XLSX_MIME } from '../shared/files';
import { TeacherFileDto } from './dto/teacher-file.dto';
import { TeacherFileService } from './teacher-file.service';

@ApiTags('records')
@ApiBearerAuth()
@Controller('v1/teachers')
export class TeacherFileController {
  constructor(private readonly files: TeacherFileService) {}

  @Get(':id/file')
  @ApiOperation({
    summary:
      '教师培训档案（一人一档）：历年培训、出勤、结业、学时、证书、支教、校外学时，及年度与五年周期学时达标情况（本人、本县区、市级可见）',
  })
  @ApiOkResponse({ type: TeacherFileDto })
  @ApiNotFoundResponse({ description: '教师不存在或无权查看' })
  file(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<TeacherFileDto> {
    return this.files.file(actor, id);
  }

  @Get(':id/file.xlsx')
  @ApiOperation({ summary: '导出教师培训档案（.xlsx）' })
  @ApiProduces(XLSX_MIME)
  async workbook(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    const f = await this.files.workbook(actor, id);
    return new StreamableFile(f.body, { type: f.type, disposition: f.disposition, length: f.body.length });
  }

  @Get(':id/file.pdf')
  @ApiOperation({ summary: '导出教师培训档案（PDF）' })
  @ApiProduces(PDF_MIME)
  async pdf(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    const f = await this.files.pdf(actor, id);
    return new StreamableFile(f.body, { type: f.type, disposition: f.disposition, length: f.body.length });
  }
}
