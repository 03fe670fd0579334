import { ApiProperty } from '@nestjs/swagger';

export class LedgerMonthDto {
  @ApiProperty({ example: '2019-09' }) month: string;
  @ApiProperty() days: number;
  @ApiProperty({ description: '分' }) amountFen: number;
}

export class LedgerRowDto {
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
  @ApiProperty({ type: [LedgerMonthDto], description: '有服务天数的月份' }) months: LedgerMonthDto[];
  @ApiProperty({ description: '应发合计（分）' }) totalFen: number;
}

export class LedgerTotalDto {
  @ApiProperty({ type: [Number], description: '与 months 对齐的各月金额（分）' }) monthsFen: number[];
  @ApiProperty() placements: number;
  @ApiProperty() totalFen: number;
}

export class LedgerCountyDto extends LedgerTotalDto {
  @ApiProperty() countyId: number;
  @ApiProperty() countyName: string;
}

export class LedgerDto {
  @ApiProperty() schemeId: number;
  @ApiProperty() schemeTitle: string;
  @ApiProperty() termStart: string;
  @ApiProperty() termEnd: string;
  @ApiProperty() daysInTerm: number;
  @ApiProperty() stipendPerYearFen: number;
  @ApiProperty({ description: '折算与舍入规则' }) rounding: string;
  @ApiProperty({ type: [String], description: '服务期涉及的月份（YYYY-MM）' }) months: string[];
  @ApiProperty({ type: [LedgerRowDto] }) rows: LedgerRowDto[];
  @ApiProperty({ type: [LedgerCountyDto] }) counties: LedgerCountyDto[];
  @ApiProperty({ type: LedgerTotalDto }) total: LedgerTotalDto;
}

export class DashboardFiguresDto {
  @ApiProperty({ description: '分配名额（县区）或计划名额（合计）' }) places: number;
  @ApiProperty({ description: '待审核（已推荐）' }) nominated: number;
  @ApiProperty({ description: '已审核通过、尚未到岗' }) approved: number;
  @ApiProperty() inService: number;
  @ApiProperty() completed: number;
  @ApiProperty() terminated: number;
  @ApiProperty() rejected: number;
  @ApiProperty({ description: '应发津贴（分）' }) stipendDueFen: number;
}

export class DashboardCountyDto extends DashboardFiguresDto {
  @ApiProperty() countyId: number;
  @ApiProperty() countyName: string;
}

export class DashboardDto {
  @ApiProperty() schemeId: number;
  @ApiProperty() schemeTitle: string;
  @ApiProperty({ type: [DashboardCountyDto] }) counties: DashboardCountyDto[];
  @ApiProperty({ type: DashboardFiguresDto, description: '合计（县区管理员为本县区）' }) total: DashboardFiguresDto;
}
