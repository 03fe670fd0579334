import { ApiProperty } from '@nestjs/swagger';

export class ExternalCreditImportResultDto {
  @ApiProperty({ description: '新增的校外学时记录数' }) created: number;
  @ApiProperty({ description: '已导入过（同一教师、同一证书编号或同一项目与日期）而更新的记录数' }) updated: number;
  @ApiProperty({ description: '已导入过且内容相同、未作改动的记录数' }) unchanged: number;
}

export class CreditImportRowErrorDto {
  @ApiProperty({ description: 'Excel 行号' }) row: number;
  @ApiProperty({ description: '列名（表头）' }) column: string;
  @ApiProperty({ description: '原因（中文）' }) message: string;
}

export class CreditImportInvalidDto {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'IMPORT_INVALID' }) code: string;
  @ApiProperty() message: string;
  @ApiProperty({ type: [CreditImportRowErrorDto] }) errors: CreditImportRowErrorDto[];
}
