import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDateString, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateSessionDto {
  @ApiProperty({ example: '新课标解读' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: '课次名称不能为空' })
  @MaxLength(200)
  title: string;
  @ApiProperty({ example: '2019-07-15T01:00:00.000Z', description: '开始时间（ISO 8601）' })
  @IsDateString({ strict: true }, { message: '开始时间须为 ISO 8601 日期时间' })
  startsAt: string;
  @ApiProperty({ example: '2019-07-15T04:00:00.000Z', description: '结束时间（ISO 8601）' })
  @IsDateString({ strict: true }, { message: '结束时间须为 ISO 8601 日期时间' })
  endsAt: string;
  @ApiProperty({ example: 4, description: '学时' })
  @IsNumber({ maxDecimalPlaces: 2 }, { message: '学时须为数字' })
  @Min(0.25, { message: '学时至少 0.25' })
  @Max(24)
  hours: number;
  @ApiPropertyOptional({ description: '授课教师（TRAINER 账号），自动加入本班培训教师' })
  @IsOptional()
  @IsInt()
  trainerId?: number;
  @ApiPropertyOptional({ example: '201 教室' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  room?: string;
}

export class UpdateSessionDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsDateString({ strict: true }) startsAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsDateString({ strict: true }) endsAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.25) @Max(24) hours?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() trainerId?: number;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(100) room?: string;
}

export class SessionDto {
  @ApiProperty() id: number;
  @ApiProperty() cohortId: number;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty() hours: number;
  @ApiProperty({ nullable: true, type: Number }) trainerId: number | null;
  @ApiProperty() room: string;
}

export class SessionListDto {
  @ApiProperty({ type: [SessionDto] }) items: SessionDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty({ description: '本班课次学时合计' }) totalHours: number;
  @ApiProperty({ description: '项目规定学时' }) programCreditHours: number;
}
