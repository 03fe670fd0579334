import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FileTeacherDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ description: '身份证号（脱敏）', example: '371302********1234' }) idNumber: string;
  @ApiProperty({ enum: ['M', 'F'] }) gender: 'M' | 'F';
  @ApiProperty() schoolId: number;
  @ApiProperty() schoolName: string;
  @ApiProperty() countyId: number;
  @ApiProperty() countyName: string;
  @ApiProperty({ nullable: true, type: String }) stage: string | null;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
}

export class FileCertificateDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'LYGG2019-0001' }) number: string;
  @ApiProperty({ enum: ['VALID', 'REVOKED'] }) status: string;
  @ApiProperty({ example: '有效' }) statusLabel: string;
  @ApiProperty({ enum: ['TRAINING', 'SERVICE'] }) kind: string;
  @ApiProperty({ example: '2019-07-20' }) issueDate: string;
}

export class FileScoreDto {
  @ApiProperty({ example: '结业考试' }) name: string;
  @ApiProperty({ example: 88.5 }) score: number;
  @ApiProperty({ example: 100 }) maxScore: number;
  @ApiProperty({ example: 60 }) passMark: number;
  @ApiProperty() passed: boolean;
}

export class FileTrainingDto {
  @ApiProperty() enrolmentId: number;
  @ApiProperty() programId: number;
  @ApiProperty() programTitle: string;
  @ApiProperty() programKind: string;
  @ApiProperty({ example: '市级暑期骨干教师培训' }) programKindLabel: string;
  @ApiProperty() programYear: number;
  @ApiProperty({ nullable: true, type: Number }) cohortId: number | null;
  @ApiProperty({ nullable: true, type: String }) cohortName: string | null;
  @ApiProperty({ nullable: true, type: String, description: '培训开始日期（班级，否则项目）' }) startDate:
    string | null;
  @ApiProperty({ nullable: true, type: String }) endDate: string | null;
  @ApiProperty({ description: '报名状态' }) status: string;
  @ApiProperty({ example: '已结业' }) statusLabel: string;
  @ApiProperty({ nullable: true, type: Number, description: '出勤学时' }) attendedHours: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '出勤率（0–1）' }) attendanceRate: number | null;
  @ApiProperty({ nullable: true, enum: ['COMPLETED', 'NOT_COMPLETED'], description: '结业结果（尚未评定为 null）' })
  result: 'COMPLETED' | 'NOT_COMPLETED' | null;
  @ApiProperty({ nullable: true, type: String, example: '已结业' }) resultLabel: string | null;
  @ApiProperty({ description: '获得学时（= 学分；未结业为 0）' }) creditHours: number;
  @ApiProperty({ nullable: true, type: Number, description: '学时计入的年度（班级结束日期所在年）' }) creditYear:
    number | null;
  @ApiProperty({ type: [FileCertificateDto] }) certificates: FileCertificateDto[];
  @ApiProperty({ type: [FileScoreDto], description: '考核成绩（已录入的项目）' }) scores: FileScoreDto[];
}

export class FilePlacementDto {
  @ApiProperty() id: number;
  @ApiProperty() schemeId: number;
  @ApiProperty() schemeTitle: string;
  @ApiProperty() schemeKind: string;
  @ApiProperty() schemeKindLabel: string;
  @ApiProperty() schemeYear: number;
  @ApiProperty() termStart: string;
  @ApiProperty() termEnd: string;
  @ApiProperty() receivingSchoolName: string;
  @ApiProperty() status: string;
  @ApiProperty() statusLabel: string;
  @ApiProperty({ nullable: true, type: String }) arrivalDate: string | null;
  @ApiProperty({ nullable: true, type: String }) endDate: string | null;
  @ApiProperty({ nullable: true, type: String, description: '考核等次' }) assessment: string | null;
  @ApiProperty({ description: '受援学校所在县区' }) receivingCountyName: string;
  @ApiProperty({ description: '实际在岗天数（在岗中计至今日）' }) daysServed: number;
  @ApiProperty({ description: '是否计入城镇教师到乡村任教经历（职称评聘）：服务期满且考核不是不合格' })
  countsAsRuralService: boolean;
  @ApiProperty({ example: '计入城镇教师到乡村任教经历（319 天），可用于职称评聘' }) ruralServiceNote: string;
  @ApiProperty({ type: [FileCertificateDto], description: '支教证明' }) certificates: FileCertificateDto[];
}

export class FileExternalCreditDto {
  @ApiProperty() id: number;
  @ApiProperty() programName: string;
  @ApiProperty({ description: '主办单位' }) organiser: string;
  @ApiProperty() hours: number;
  @ApiProperty({ example: '2020-10-20' }) date: string;
  @ApiProperty({ nullable: true, type: String }) certificateNumber: string | null;
  @ApiProperty({ description: '校外培训（导入）', example: true }) external: true;
}

export class YearSummaryDto {
  @ApiProperty() year: number;
  @ApiProperty({ description: '系统内培训学时' }) internalHours: number;
  @ApiProperty({ description: '校外培训学时' }) externalHours: number;
  @ApiProperty() totalHours: number;
  @ApiProperty({ example: 48 }) required: number;
  @ApiProperty({ description: '差额（学时）' }) shortfall: number;
  @ApiProperty() met: boolean;
  @ApiProperty({ description: '当年尚未结束' }) inProgress: boolean;
}

export class CycleSummaryDto {
  @ApiProperty() startYear: number;
  @ApiProperty() endYear: number;
  @ApiProperty({ example: '2016–2020' }) label: string;
  @ApiProperty() totalHours: number;
  @ApiProperty({ example: 360 }) required: number;
  @ApiProperty() shortfall: number;
  @ApiProperty() met: boolean;
  @ApiProperty({ description: '当前周期（尚未结束）' }) inProgress: boolean;
  @ApiProperty({ description: '周期内达到年度要求的年数' }) yearsMet: number;
}

export class RequirementDto {
  @ApiProperty({ example: 48 }) yearly: number;
  @ApiProperty({ example: 360 }) cycle: number;
  @ApiProperty({ example: 5 }) cycleYears: number;
  @ApiProperty({ example: 2016, description: '周期起始年（配置 CREDIT_CYCLE_START_YEAR）' }) cycleStartYear: number;
  @ApiProperty() note: string;
}

export class TeacherFileDto {
  @ApiProperty({ type: FileTeacherDto }) teacher: FileTeacherDto;
  @ApiProperty({ type: RequirementDto }) requirement: RequirementDto;
  @ApiProperty({ type: [FileTrainingDto], description: '培训项目与班级，按时间先后' }) trainings: FileTrainingDto[];
  @ApiProperty({ type: [FilePlacementDto], description: '人才支持计划选派，按时间先后' })
  placements: FilePlacementDto[];
  @ApiProperty({ type: [FileExternalCreditDto], description: '校外培训学时（导入），按日期先后' })
  externalCredits: FileExternalCreditDto[];
  @ApiProperty({ type: [YearSummaryDto] }) years: YearSummaryDto[];
  @ApiProperty({ type: [CycleSummaryDto] }) cycles: CycleSummaryDto[];
  @ApiPropertyOptional({ description: '生成时间' }) generatedAt: string;
}
