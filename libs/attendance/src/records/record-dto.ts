import { AttendanceRecordDto } from '../dto/attendance.dto';
import { ATTENDANCE_STATUS_LABELS } from '../statuses';
import { AttendanceRecord } from './attendance-record.entity';

const iso = (d: Date | string | null) => (d instanceof Date ? d.toISOString() : d ? new Date(d).toISOString() : null);

export function toRecordDto(
  r: Pick<
    AttendanceRecord,
    'id' | 'sessionId' | 'enrolmentId' | 'status' | 'source' | 'checkedInAt' | 'reason' | 'updatedAt'
  >,
): AttendanceRecordDto {
  return {
    id: r.id,
    sessionId: r.sessionId,
    enrolmentId: r.enrolmentId,
    status: r.status,
    statusLabel: ATTENDANCE_STATUS_LABELS[r.status],
    source: r.source,
    checkedInAt: iso(r.checkedInAt),
    reason: r.reason,
    updatedAt: iso(r.updatedAt)!,
  };
}
