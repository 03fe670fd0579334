import { ApiProperty } from '@nestjs/swagger';
import { StipendSplitDto } from '../../schemes/dto/scheme.dto';

export class StipendLedgerMonthDto {
  @ApiProperty({ example: '2019-09' }) month: string;
  @ApiProperty({ description: '当月在岗天数' }) days: number;
  @ApiProperty({ description: '工作补助（分）' }) workFen: number;
  @ApiProperty({ description: '交通差旅费（分）' }) travelFen: number;
  @ApiProperty({ description: '意外保险（分，付给保险公司，不计入应发）' }) insuranceFen: number;
  @ApiProperty({ description: '应发（分）= 工作补助 + 交通差旅费' }) dueFen: number;
  @ApiProperty({ description: '实发（分）：登记的发放记录' }) paidFen: number;
}

export class StipendItemTotalsDto {
  @ApiProperty({ description: '工作补助（分）' }) workFen: number;
  @ApiProperty({ description: '交通差旅费（分）' }) travelFen: number;
  @ApiProperty({ description: '意外保险（分，付给保险公司）' }) insuranceFen: number;
  @ApiProperty({ description: '应发教师（分）' }) dueFen: number;
  @ApiProperty({ description: '实发教师（分）' }) paidFen: number;
  @ApiProperty({ description: '经费支出合计（分）= 工作补助 + 交通差旅费 + 意外保险' }) totalFen: number;
}

export class StipendLedgerRowDto extends StipendItemTotalsDto {
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
  @ApiProperty({ type: [StipendLedgerMonthDto], description: '有服务天数、交通差旅费或发放记录的月份' })
  months: StipendLedgerMonthDto[];
}

export class StipendLedgerTotalDto extends StipendItemTotalsDto {
  @ApiProperty({ type: [Number], description: '与 months 对齐的各月应发（分）' }) monthsFen: number[];
  @ApiProperty({ type: [Number], description: '与 months 对齐的各月实发（分）' }) paidMonthsFen: number[];
  @ApiProperty() placements: number;
  @ApiProperty({ description: '经费标准（分）= 人数 × 每人每年经费标准' }) standardFen: number;
  @ApiProperty({ description: '结余（分）= 经费标准 − 经费支出合计（提前返回、少于预算的往返次数）' })
  balanceFen: number;
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
  @ApiProperty({ description: '每人每年经费标准（分）' }) stipendPerYearFen: number;
  @ApiProperty({ type: StipendSplitDto, description: '经费构成' }) stipendItems: StipendSplitDto;
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
  @ApiProperty({ description: '应发教师的工作补助与交通差旅费（分）' }) stipendDueFen: number;
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
