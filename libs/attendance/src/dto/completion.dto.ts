import { ApiProperty } from '@nestjs/swagger';

export class CompletionRowDto {
  @ApiProperty() enrolmentId: number;
  @ApiProperty() teacherId: number;
  @ApiProperty() name: string;
  @ApiProperty() school: string;
  @ApiProperty({ description: '出勤学时（出勤 + 迟到）' }) attendedHours: number;
  @ApiProperty({ description: '出勤率（0–1，向下取 4 位小数）' }) attendanceRate: number;
  @ApiProperty({ enum: ['COMPLETED', 'NOT_COMPLETED'] }) status: 'COMPLETED' | 'NOT_COMPLETED';
  @ApiProperty({ description: '获得学时：结业为项目学时，否则 0' }) creditHours: number;
  @ApiProperty({ description: '与上次计算结果不同（或首次计算）' }) changed: boolean;
}

export class CompletionResultDto {
  @ApiProperty() cohortId: number;
  @ApiProperty({ description: '本班课次学时合计' }) totalHours: number;
  @ApiProperty({ description: '结业所需出勤率（0–1）' }) threshold: number;
  @ApiProperty({ description: '项目学时' }) programCreditHours: number;
  @ApiProperty() completed: number;
  @ApiProperty() notCompleted: number;
  @ApiProperty({ type: [CompletionRowDto] }) items: CompletionRowDto[];
}
