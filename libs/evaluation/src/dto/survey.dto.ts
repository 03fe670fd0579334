import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { QUESTION_KINDS, type QuestionKind } from '../survey.entities';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const SURVEY_TEMPLATES = ['DEFAULT'] as const;
/** Results are shown from this many responses on (spec §15): fewer could single out a trainee. */
export const MIN_RESPONSES = 5;

export class SurveyQuestionInput {
  @ApiProperty({ enum: QUESTION_KINDS }) @IsIn(QUESTION_KINDS as unknown as string[]) kind: QuestionKind;
  @ApiProperty({ example: '课程内容的针对性与实用性', maxLength: 300 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  text: string;
  @ApiPropertyOptional({ nullable: true, type: Number, description: '评价某一课次（及其授课教师）时填写' })
  @IsOptional()
  @IsInt()
  @Min(1)
  sessionId?: number | null;
}

/** The form: `questions`, or `template: "DEFAULT"` (the usual 国培 items plus one per session). */
export class PutSurveyDto {
  @ApiPropertyOptional({ type: [SurveyQuestionInput], maxItems: 60 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => SurveyQuestionInput)
  questions?: SurveyQuestionInput[];
  @ApiPropertyOptional({ enum: SURVEY_TEMPLATES, description: '以默认模板（国培常用题目）设置问卷，忽略 questions' })
  @IsOptional()
  @IsIn(SURVEY_TEMPLATES as unknown as string[])
  template?: (typeof SURVEY_TEMPLATES)[number];
}

export class SurveyQuestionDto {
  @ApiProperty() id: number;
  @ApiProperty() position: number;
  @ApiProperty({ enum: QUESTION_KINDS }) kind: QuestionKind;
  @ApiProperty() text: string;
  @ApiProperty({ nullable: true, type: Number }) sessionId: number | null;
  @ApiProperty({ nullable: true, type: String, description: '课次名称' }) sessionTitle: string | null;
  @ApiProperty({ nullable: true, type: String, description: '授课教师' }) lecturerName: string | null;
}

export class SurveyDto {
  @ApiProperty() cohortId: number;
  @ApiProperty({ type: [SurveyQuestionDto] }) questions: SurveyQuestionDto[];
  @ApiProperty({ description: '已收到的评价份数' }) responses: number;
  @ApiProperty({ example: '2019-07-12', description: '从这一天（北京时间）起可以评价：本班结束日期' }) opensOn: string;
  @ApiPropertyOptional({ description: '仅教师：本人是否已提交' }) answered?: boolean;
}

export class SurveyTemplateDto {
  @ApiProperty({ type: [SurveyQuestionInput], description: '按课次的评分题在设置到班级时按本班课次生成' })
  questions: SurveyQuestionInput[];
}

export class SurveyAnswerInput {
  @ApiProperty() @IsInt() @Min(1) questionId: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 5 }) @IsOptional() @IsInt() @Min(1) @Max(5) rating?: number;
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  text?: string;
}

export class SubmitSurveyDto {
  @ApiProperty({ type: [SurveyAnswerInput] })
  @IsArray()
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => SurveyAnswerInput)
  answers: SurveyAnswerInput[];
}

export class SurveySubmittedDto {
  @ApiProperty({ example: true }) submitted: boolean;
}

export class QuestionResultDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: QUESTION_KINDS }) kind: QuestionKind;
  @ApiProperty() text: string;
  @ApiProperty({ nullable: true, type: Number }) sessionId: number | null;
  @ApiProperty({ nullable: true, type: String }) lecturerName: string | null;
  @ApiProperty({ description: '作答人数（评分题：评分数；开放题：填写数）' }) count: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 4.62,
    description: '平均分（两位小数）；不足 5 份或开放题为 null',
  })
  mean: number | null;
  @ApiProperty({
    nullable: true,
    type: [Number],
    example: [0, 0, 1, 10, 29],
    description: '1–5 分各多少人；不足 5 份或开放题为 null',
  })
  counts: number[] | null;
  @ApiPropertyOptional({ type: [String], description: '开放题的回答：仅项目主办单位可见' })
  texts?: string[];
}

export class SurveyResultsDto {
  @ApiProperty() cohortId: number;
  @ApiProperty({ description: '评价份数' }) responses: number;
  @ApiProperty({ description: '本班学员数' }) trainees: number;
  @ApiProperty({ example: 0.95, description: '回收率（0–1）' }) responseRate: number;
  @ApiProperty({ example: MIN_RESPONSES }) minResponses: number;
  @ApiProperty({ description: '份数达到 minResponses 才显示各题结果' }) shown: boolean;
  @ApiProperty({ nullable: true, type: String, example: '评价不足 5 份，暂不显示结果（保护学员匿名）' })
  note: string | null;
  @ApiProperty({ type: [QuestionResultDto] }) questions: QuestionResultDto[];
}

export class LecturerQuery {
  @ApiProperty({ example: 2019 })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;
}

export class LecturerResultDto {
  @ApiProperty() trainerId: number;
  @ApiProperty({ example: '王老师' }) name: string;
  @ApiProperty({ description: '涉及班级数' }) cohorts: number;
  @ApiProperty({ description: '评分数' }) count: number;
  @ApiProperty({ example: 4.71 }) mean: number;
  @ApiProperty({ type: [Number], example: [0, 0, 2, 20, 80] }) counts: number[];
}

export class LecturerResultsDto {
  @ApiProperty() year: number;
  @ApiProperty({ example: MIN_RESPONSES, description: '只计入评价份数达到此数的班级' }) minResponses: number;
  @ApiProperty({ type: [LecturerResultDto] }) items: LecturerResultDto[];
}
