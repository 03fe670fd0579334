import { ApiProperty } from '@nestjs/swagger';

export class StipendLedgerMonthDto {
  @ApiProperty({ example: '2019-09' }) month: string;
  @ApiProperty() days: number;
  @ApiProperty({ description: '分' }) amountFen: number;
}

export class StipendLedgerRowDto {
  @ApiProperty() placementId: number;
  @ApiProperty() teacherId: number;
  @ApiProperty() teacherName: string;
  @ApiProperty({ description: '身份证号（脱敏）' }) teacherIdNumber: string;
  @ApiProperty() countyId: number;
  @ApiProperty() countyName: string;
  @ApiProperty() status: string;
  @ApiProperty() statusLabel: string;
  @ApiProperty() servedFrom: string;
  @ApiProperty() servedTo: string;
  @ApiProperty() daysServed: number;
  @ApiProperty({ type: [StipendLedgerMonthDto], description: '有服务天数的月份' }) months: StipendLedgerMonthDto[];
  @ApiProperty({ description: '应发合计（分）' }) totalFen: number;
}

export class StipendLedgerTotalDto {
  @ApiProperty({ type: [Number], description: '与 months 对齐的各月金额（分）' }) monthsFen: number[];
  @ApiProperty() placements: number;
  @ApiProperty() totalFen: number;
}

export class StipendLedgerCountyDto extends StipendLedgerTotalDto {
  @ApiProperty() countyId: number;
  @ApiProperty() countyName: string;
}

export class StipendLedgerDto {
  @ApiProperty() schemeId: number;
  @ApiProperty() schemeTitle: string;
  @ApiProperty() termStart: string;
  @ApiProperty() termEnd: string;
  @ApiProperty() daysInTerm: number;
  @ApiProperty() stipendPerYearFen: number;
  @ApiProperty({ description: '折算与舍入规则' }) rounding: string;
  @ApiProperty({ type: [String], description: '服务期涉及的月份（YYYY-MM）' }) months: string[];
  @ApiProperty({ type: [StipendLedgerRowDto] }) rows: StipendLedgerRowDto[];
  @ApiProperty({ type: [StipendLedgerCountyDto] }) counties: StipendLedgerCountyDto[];
  @ApiProperty({ type: StipendLedgerTotalDto }) total: StipendLedgerTotalDto;
}

export class SchemeDashboardFiguresDto {
  @ApiProperty({ description: '分配名额（县区）或计划名额（合计）' }) places: number;
  @ApiProperty({ description: '待审核（已推荐）' }) nominated: number;
  @ApiProperty({ description: '已批准、尚未到岗' }) approved: number;
  @ApiProperty() inService: number;
  @ApiProperty() completed: number;
  @ApiProperty() terminated: number;
  @ApiProperty() rejected: number;
  @ApiProperty({ description: '应发津贴（分）' }) stipendDueFen: number;
}

export class SchemeDashboardCountyDto extends SchemeDashboardFiguresDto {
  @ApiProperty() countyId: number;
  @ApiProperty() countyName: string;
}

export class SchemeDashboardDto {
  @ApiProperty() schemeId: number;
  @ApiProperty() schemeTitle: string;
  @ApiProperty({ type: [SchemeDashboardCountyDto] }) counties: SchemeDashboardCountyDto[];
  @ApiProperty({ type: SchemeDashboardFiguresDto, description: '合计（县区管理员为本县区）' })
  total: SchemeDashboardFiguresDto;
}
