import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { ATTENDANCE_SOURCES, ATTENDANCE_STATUSES, AttendanceSource, AttendanceStatus } from '../statuses';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CheckinCodeDto {
  @ApiProperty() sessionId: number;
  @ApiProperty({
    enum: ['NOT_OPEN', 'OPEN', 'CLOSED'],
    description: 'NOT_OPEN 未开放 / OPEN 签到中 / CLOSED 已结束（含提前结束）；非 OPEN 时不给出签到码',
  })
  state: 'NOT_OPEN' | 'OPEN' | 'CLOSED';
  @ApiProperty({
    nullable: true,
    type: String,
    description: '当前签到码（每 30 秒更换）；签到时段外为 null',
    example: 'q3Zr1XbV0nN7sEo2',
  })
  code: string | null;
  @ApiProperty({ nullable: true, type: String, description: '二维码内容：PUBLIC_BASE_URL/checkin?s=<课次>&c=<签到码>' })
  url: string | null;
  @ApiProperty({ format: 'date-time', description: '此码失效时间（当前与上一个 30 秒周期的码均有效）' })
  expiresAt: string;
  @ApiProperty({ format: 'date-time', description: '屏幕应换码的时间（下一个 30 秒周期开始）' }) refreshAt: string;
  @ApiProperty({ nullable: true, type: String, description: '二维码 SVG；签到时段外为 null' }) qrSvg: string | null;
  @ApiProperty({ format: 'date-time', description: '签到开放时间（开始前 30 分钟）' }) opensAt: string;
  @ApiProperty({ format: 'date-time', description: '签到截止时间（课次结束，或培训教师提前结束签到的时间）' })
  closesAt: string;
  @ApiProperty({ description: '此刻是否在签到时段内' }) open: boolean;
}

/** The body of a self check-in, checked by JsonSchemaPipe (the hot route: no DTO class) and shown in the API docs. */
export const CHECKIN_BODY = {
  type: 'object',
  required: ['code'],
  additionalProperties: false,
  properties: { code: { type: 'string', maxLength: 64, description: '扫码得到的签到码（二维码地址中的 c 参数）' } },
};

export interface CheckinBody {
  code: string;
}

export class AttendanceRecordDto {
  @ApiProperty() id: number;
  @ApiProperty() sessionId: number;
  @ApiProperty() enrolmentId: number;
  @ApiProperty({ enum: ATTENDANCE_STATUSES }) status: AttendanceStatus;
  @ApiProperty({ example: '出勤' }) statusLabel: string;
  @ApiProperty({
    enum: ATTENDANCE_SOURCES,
    description:
      'SELF 扫码签到 / SCAN 培训教师扫个人凭证 / TRAINER 培训教师标记 / LEAVE 请假批准 / CLOSE 结束签到时记缺勤',
  })
  source: AttendanceSource;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) checkedInAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CheckinResultDto extends AttendanceRecordDto {
  @ApiProperty({ description: '此前已签到（重复扫码不改变记录）' }) alreadyCheckedIn: boolean;
  @ApiProperty({ example: '签到成功' }) message: string;
}

export class MarkAttendanceDto {
  @ApiProperty({ enum: ATTENDANCE_STATUSES, description: 'PRESENT 出勤 / LATE 迟到 / EXCUSED 请假 / ABSENT 缺勤' })
  @IsIn(ATTENDANCE_STATUSES as unknown as string[], { message: '考勤状态须为 PRESENT、LATE、EXCUSED 或 ABSENT' })
  status: AttendanceStatus;

  @ApiProperty({ description: '标记或更正的原因（必填，记入审计）', example: '手机没电，现场确认到课' })
  @Transform(trim)
  @IsString({ message: '原因须为文本' })
  @MinLength(1, { message: '请填写原因' })
  @MaxLength(500, { message: '原因不能超过 500 个字符' })
  reason: string;
}

export class AttendanceCountsDto {
  @ApiProperty({ description: '应到人数（本班学员）' }) expected: number;
  @ApiProperty({ description: '已签到（出勤 + 迟到）' }) checkedIn: number;
  @ApiProperty() present: number;
  @ApiProperty() late: number;
  @ApiProperty() excused: number;
  @ApiProperty({ description: '缺勤（已结束且无记录的也计入）' }) absent: number;
  @ApiProperty({ description: '未签到（课次未结束且无记录）' }) pending: number;
}

export class RosterEntryDto {
  @ApiProperty() enrolmentId: number;
  @ApiProperty() teacherId: number;
  @ApiProperty() name: string;
  @ApiProperty() school: string;
  @ApiProperty({
    enum: ATTENDANCE_STATUSES,
    nullable: true,
    description: '无记录时：课次结束后为 ABSENT，之前为 null（未签到）',
  })
  status: AttendanceStatus | null;
  @ApiProperty({ example: '出勤' }) statusLabel: string;
  @ApiProperty({ description: '状态来自已保存的记录（否则为推算）' }) recorded: boolean;
  @ApiProperty({ enum: ATTENDANCE_SOURCES, nullable: true }) source: AttendanceSource | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) checkedInAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
}

export class SessionBriefDto {
  @ApiProperty() id: number;
  @ApiProperty() cohortId: number;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty() hours: number;
}

export class SessionAttendanceDto {
  @ApiProperty({ type: SessionBriefDto }) session: SessionBriefDto;
  @ApiProperty({ type: AttendanceCountsDto }) counts: AttendanceCountsDto;
  @ApiProperty({ example: '已签到 42 / 50' }) display: string;
  @ApiProperty({ type: [RosterEntryDto] }) items: RosterEntryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class CloseSessionResultDto {
  @ApiProperty() sessionId: number;
  @ApiProperty({ description: '本次记为缺勤的人数' }) absentRecorded: number;
  @ApiProperty({ type: AttendanceCountsDto }) counts: AttendanceCountsDto;
}

export class MySessionDto {
  @ApiProperty() sessionId: number;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty() hours: number;
  @ApiProperty({ enum: ATTENDANCE_STATUSES, nullable: true }) status: AttendanceStatus | null;
  @ApiProperty() statusLabel: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) checkedInAt: string | null;
}

export class MyCohortAttendanceDto {
  @ApiProperty() enrolmentId: number;
  @ApiProperty() programId: number;
  @ApiProperty() programTitle: string;
  @ApiProperty() cohortId: number;
  @ApiProperty() cohortName: string;
  @ApiProperty({ description: '报名状态' }) enrolmentStatus: string;
  @ApiProperty({ description: '出勤学时（出勤 + 迟到）' }) attendedHours: number;
  @ApiProperty({ description: '本班课次学时合计' }) totalHours: number;
  @ApiProperty({ description: '出勤率（0–1）' }) attendanceRate: number;
  @ApiProperty({ description: '项目结业所需出勤率（0–1）' }) threshold: number;
  @ApiPropertyOptional({ nullable: true, type: Number, description: '已结业计算时获得的学时' }) creditHours:
    number | null;
  @ApiProperty({ type: [MySessionDto] }) sessions: MySessionDto[];
}

export class MyAttendanceDto {
  @ApiProperty({ type: [MyCohortAttendanceDto] }) items: MyCohortAttendanceDto[];
}

export class CohortMatrixRowDto {
  @ApiProperty() enrolmentId: number;
  @ApiProperty() teacherId: number;
  @ApiProperty() name: string;
  @ApiProperty() school: string;
  @ApiProperty({ description: '每个课次的状态（顺序同 sessions；null 为未签到）', type: [String], nullable: true })
  statuses: (AttendanceStatus | null)[];
  @ApiProperty() attendedHours: number;
  @ApiProperty() attendanceRate: number;
}

export class CohortAttendanceDto {
  @ApiProperty() cohortId: number;
  @ApiProperty({ type: [SessionBriefDto] }) sessions: SessionBriefDto[];
  @ApiProperty() totalHours: number;
  @ApiProperty() threshold: number;
  @ApiProperty({ type: [CohortMatrixRowDto] }) items: CohortMatrixRowDto[];
}
