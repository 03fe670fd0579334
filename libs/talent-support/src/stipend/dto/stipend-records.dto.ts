import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../../validation';
import { StipendLedgerMonthDto, StipendItemTotalsDto } from '../../reports/dto/report.dto';

export class RecordTripDto {
  @ApiProperty({ example: '2019-10-01', description: '往返日期：在服务期间内，且不晚于今天' })
  @IsCalendarDate()
  date: string;
}

export class RecordPaymentDto {
  @ApiProperty({ example: '2019-09', description: '所属月份（服务期内的月份，YYYY-MM）' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '月份格式为 YYYY-MM' })
  month: string;

  @ApiProperty({ example: 150000, description: '实发金额（分）' })
  @IsInt()
  @Min(1, { message: '金额须大于 0' })
  @Max(100_000_000)
  amountFen: number;

  @ApiProperty({ example: '2019-10-10', description: '发放日期，不晚于今天' })
  @IsCalendarDate()
  paidOn: string;
}

export class TripDto {
  @ApiProperty() id: number;
  @ApiProperty() date: string;
}

export class PaymentDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: '2019-09' }) month: string;
  @ApiProperty({ description: '分' }) amountFen: number;
  @ApiProperty() paidOn: string;
  @ApiProperty() paidById: number;
  @ApiProperty({ description: '经办人' }) paidByName: string;
}

export class PlacementStipendDto extends StipendItemTotalsDto {
  @ApiProperty() placementId: number;
  @ApiProperty() daysServed: number;
  @ApiProperty({ type: [StipendLedgerMonthDto] }) months: StipendLedgerMonthDto[];
  @ApiProperty({ type: [TripDto], description: '登记的往返（按次报销交通差旅费时）' }) trips: TripDto[];
  @ApiProperty({ type: [PaymentDto], description: '发放记录（实发）' }) payments: PaymentDto[];
}
