/** Domain events of leave requests (entity `leave_request`). */
export const LeaveEvents = {
  REQUESTED: 'leave.requested',
  DECIDED: 'leave.decided',
} as const;

export interface LeaveEventPayload {
  cohortId: number;
  teacherId: number;
  status: 'PENDING' | 'APPROVED' | 'REFUSED';
}
