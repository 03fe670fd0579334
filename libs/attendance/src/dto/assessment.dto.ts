import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNumber,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ENROLMENT_STATUSES, EnrolmentStatus } from '@shipei/enrolment';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Scores and marks are kept to hundredths, up to this. */
export const MAX_SCORE = 1000;
export const MAX_ITEMS = 20;
export const MAX_SCORES_PER_REQUEST = 5000;

export class AssessmentItemInputDto {
  @ApiProperty({ example: '结业考试', description: '考核项目名称（同一项目内不重复）' })
  @Transform(trim)
  @IsString({ message: '考核项目名称须为文本' })
  @MinLength(1, { message: '请填写考核项目名称' })
  @MaxLength(50, { message: '考核项目名称不能超过 50 个字符' })
  name: string;

  @ApiProperty({ example: 60, description: '及格分（0 ≤ 及格分 ≤ 满分）' })
  @IsNumber(
    { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false },
    { message: '及格分须为数字（最多 2 位小数）' },
  )
  @Min(0, { message: '及格分不能小于 0' })
  @Max(MAX_SCORE, { message: `及格分不能超过 ${MAX_SCORE}` })
  passMark: number;

  @ApiProperty({ example: 100, description: '满分（大于 0）' })
  @IsNumber(
    { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false },
    { message: '满分须为数字（最多 2 位小数）' },
  )
  @Min(0.01, { message: '满分须大于 0' })
  @Max(MAX_SCORE, { message: `满分不能超过 ${MAX_SCORE}` })
  maxScore: number;
}

export class SetAssessmentItemsDto {
  @ApiProperty({
    type: [AssessmentItemInputDto],
    description: '全部考核项目（按顺序）；按名称对应已有项目，空列表表示不设考核',
  })
  @IsArray({ message: '考核项目须为列表' })
  @ArrayMaxSize(MAX_ITEMS, { message: `考核项目最多 ${MAX_ITEMS} 个` })
  @ValidateNested({ each: true })
  @Type(() => AssessmentItemInputDto)
  items: AssessmentItemInputDto[];
}

export class AssessmentItemDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: '结业考试' }) name: string;
  @ApiProperty({ example: 60 }) passMark: number;
  @ApiProperty({ example: 100 }) maxScore: number;
}

export class ProgramAssessmentDto {
  @ApiProperty() programId: number;
  @ApiProperty({ type: [AssessmentItemDto] }) items: AssessmentItemDto[];
}

export class ScoreInputDto {
  @ApiProperty({ description: '报名记录（须为本班学员）' })
  @IsInt({ message: '报名记录编号须为整数' })
  @Min(1, { message: '报名记录编号须为正整数' })
  enrolmentId: number;

  @ApiProperty({ description: '考核项目' })
  @IsInt({ message: '考核项目编号须为整数' })
  @Min(1, { message: '考核项目编号须为正整数' })
  itemId: number;

  @ApiProperty({ example: 86.5, description: '成绩（0 ≤ 成绩 ≤ 满分，最多 2 位小数）' })
  @IsNumber(
    { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false },
    { message: '成绩须为数字（最多 2 位小数）' },
  )
  @Min(0, { message: '成绩不能小于 0' })
  @Max(MAX_SCORE, { message: `成绩不能超过 ${MAX_SCORE}` })
  score: number;
}

export class SetScoresDto {
  @ApiProperty({ type: [ScoreInputDto] })
  @IsArray({ message: '成绩须为列表' })
  @ArrayMinSize(1, { message: '请至少录入一项成绩' })
  @ArrayMaxSize(MAX_SCORES_PER_REQUEST, { message: `一次最多录入 ${MAX_SCORES_PER_REQUEST} 项成绩` })
  @ValidateNested({ each: true })
  @Type(() => ScoreInputDto)
  scores: ScoreInputDto[];
}

export class SubmissionInfoDto {
  @ApiProperty() filename: string;
  @ApiProperty({ example: 'application/pdf' }) contentType: string;
  @ApiProperty() size: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class ItemScoreDto {
  @ApiProperty() itemId: number;
  @ApiProperty({ type: Number, nullable: true, description: '未录入为 null' }) score: number | null;
  @ApiProperty({ description: '已录入且不低于及格分' }) passed: boolean;
  @ApiProperty({ type: SubmissionInfoDto, nullable: true }) submission: SubmissionInfoDto | null;
}

export class TraineeScoresDto {
  @ApiProperty() enrolmentId: number;
  @ApiProperty() teacherId: number;
  @ApiProperty() name: string;
  @ApiProperty() school: string;
  @ApiProperty({ enum: ENROLMENT_STATUSES }) status: EnrolmentStatus;
  @ApiProperty({ type: [ItemScoreDto] }) scores: ItemScoreDto[];
  @ApiProperty({ description: '全部考核项目均已及格' }) passed: boolean;
}

export class CohortScoresDto {
  @ApiProperty() cohortId: number;
  @ApiProperty() programId: number;
  @ApiProperty({ type: [AssessmentItemDto] }) items: AssessmentItemDto[];
  @ApiProperty({ type: [TraineeScoresDto] }) trainees: TraineeScoresDto[];
}

export class ScoresResultDto {
  @ApiProperty({ description: '新录入或改动的成绩数' }) updated: number;
  @ApiProperty({ description: '因此改变结业结果的学员数（已计算结业的班级）' }) redecided: number;
}

export class EnrolmentAssessmentDto {
  @ApiProperty() enrolmentId: number;
  @ApiProperty() programId: number;
  @ApiProperty({ type: Number, nullable: true }) cohortId: number | null;
  @ApiProperty({ type: [AssessmentItemDto] }) items: AssessmentItemDto[];
  @ApiProperty({ type: [ItemScoreDto] }) scores: ItemScoreDto[];
  @ApiProperty({ description: '全部考核项目均已及格' }) passed: boolean;
}

export class ScoreImportRowErrorDto {
  @ApiProperty({ description: 'Excel 行号' }) row: number;
  @ApiProperty() column: string;
  @ApiProperty() message: string;
}

export class ScoreImportInvalidDto {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'IMPORT_INVALID' }) code: string;
  @ApiProperty() message: string;
  @ApiProperty({ type: [ScoreImportRowErrorDto] }) errors: ScoreImportRowErrorDto[];
}
