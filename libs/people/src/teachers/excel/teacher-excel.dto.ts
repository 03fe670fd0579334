import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional } from 'class-validator';
import { TeacherQuery } from '../dto/teacher.dto';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class TeacherImportQuery {
  @ApiPropertyOptional({ description: '导入到哪个县区（市级管理员必填；县区管理员只能是本县区，可省略）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  countyId?: number;
}

export class TeacherImportResultDto {
  @ApiProperty({ description: '新建的教师数' }) created: number;
  @ApiProperty({ description: '已登记（同一身份证号）而更新的教师数' }) updated: number;
}

export class ImportRowErrorDto {
  @ApiProperty({ description: 'Excel 行号' }) row: number;
  @ApiProperty({ description: '列名（表头）' }) column: string;
  @ApiProperty({ description: '原因（中文）' }) message: string;
}

export class ImportInvalidDto {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'IMPORT_INVALID' }) code: string;
  @ApiProperty() message: string;
  @ApiProperty({ type: [ImportRowErrorDto] }) errors: ImportRowErrorDto[];
}

export class TeacherExportQuery extends OmitType(TeacherQuery, ['page', 'pageSize', 'after', 'before'] as const) {
  @ApiPropertyOptional({ description: '市级管理员导出完整身份证号与手机号（记入审计日志）' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  full?: boolean;
}
