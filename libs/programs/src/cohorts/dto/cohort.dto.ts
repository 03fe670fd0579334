import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsDateString,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateCohortDto {
  @ApiProperty({ example: '第一期一班' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: '班级名称不能为空' })
  @MaxLength(100)
  name: string;
  @ApiProperty({ example: 50 })
  @IsInt({ message: '容量须为整数' })
  @Min(1, { message: '容量至少为 1' })
  @Max(10000)
  capacity: number;
  @ApiProperty({ example: '2019-07-15' })
  @Matches(DATE, { message: '开始日期格式应为 YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: '开始日期无效' })
  startDate: string;
  @ApiProperty({ example: '2019-07-24' })
  @Matches(DATE, { message: '结束日期格式应为 YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: '结束日期无效' })
  endDate: string;
  @ApiPropertyOptional({ example: '临沂大学' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  venue?: string;
  @ApiPropertyOptional({ type: [Number], description: '培训教师（TRAINER 账号）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsInt({ each: true, message: '培训教师编号须为整数' })
  trainerIds?: number[];
  @ApiPropertyOptional({ description: '班主任（须在 trainerIds 中）' }) @IsOptional() @IsInt() headTrainerId?: number;
}

export class UpdateCohortDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(10000) capacity?: number;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DATE, { message: '开始日期格式应为 YYYY-MM-DD' })
  @IsDateString({ strict: true })
  startDate?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DATE, { message: '结束日期格式应为 YYYY-MM-DD' })
  @IsDateString({ strict: true })
  endDate?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(200) venue?: string;
}

export class SetTrainersDto {
  @ApiProperty({ type: [Number] })
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsInt({ each: true })
  trainerIds: number[];
  @ApiPropertyOptional() @IsOptional() @IsInt() headTrainerId?: number;
}

export class CohortTrainerDto {
  @ApiProperty() userId: number;
  @ApiProperty() name: string;
  @ApiProperty({ description: '班主任' }) head: boolean;
}

export class CohortDto {
  @ApiProperty() id: number;
  @ApiProperty() programId: number;
  @ApiProperty() name: string;
  @ApiProperty() capacity: number;
  @ApiProperty({ description: '已分入人数' }) assignedCount: number;
  @ApiProperty() startDate: string;
  @ApiProperty() endDate: string;
  @ApiProperty() venue: string;
  @ApiProperty({ type: [CohortTrainerDto] }) trainers: CohortTrainerDto[];
  @ApiProperty({ description: '课次学时合计' }) sessionHours: number;
  @ApiProperty({ description: '项目规定学时（与 sessionHours 对照）' }) programCreditHours: number;
}

export class CohortPageDto {
  @ApiProperty({ type: [CohortDto] }) items: CohortDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
