import type { Channel, DeliveryStatus } from './outbox/delivery.entity';

/** What each kind of message is, as the office reads it in the deliveries list and its filter. */
export const MESSAGE_TYPE_LABELS: Record<string, string> = {
  'program.opened': '项目开始推荐（县区）',
  'enrolment.approved': '推荐审核通过',
  'enrolment.rejected': '推荐未通过',
  'enrolment.promoted': '候补递补（教师）',
  'enrolment.promoted-county': '候补递补（县区）',
  'enrolment.assigned': '分班通知',
  'enrolment.declined': '教师放弃（县区）',
  'enrolment.withdrawn': '推荐撤回',
  'cohort.trainers-assigned': '安排培训教师',
  'leave.requested': '请假待审批',
  'leave.decided': '请假审批结果',
  'completion.decided': '结业结果',
  'certificate.issued': '证书颁发',
  'placement.decided': '选派审核结果（教师）',
  'placement.decided-county': '选派审核结果（县区）',
  'reminder.session-tomorrow': '明日课程提醒',
  'reminder.nomination-deadline': '推荐截止提醒（县区）',
  'reminder.quota-unfilled': '名额未报满（市级）',
  'reminder.leave-waiting': '请假待审批提醒',
  'auth.password-reset': '找回密码验证码',
  'announcement.posted': '通知公告',
};

/** A message type's label; a type added without one still shows, as its code. */
export const messageTypeLabel = (type: string): string => MESSAGE_TYPE_LABELS[type] ?? type;

export const CHANNEL_LABELS: Record<Channel, string> = { SMS: '短信', EMAIL: '邮件' };

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  PENDING: '待发送',
  SENT: '已发送',
  FAILED: '发送失败',
  SKIPPED: '未发送',
};
