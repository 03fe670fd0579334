import { ACCOUNT_STATE_LABELS } from '@shipei/auth';
import { ATTENDANCE_STATUS_LABELS, LEAVE_STATUS_LABELS, PENDING_LABEL } from '@shipei/attendance';
import { CERTIFICATE_STATUS_LABELS } from '@shipei/certificates';
import { ROLE_LABELS, type Role } from '@shipei/core';
import { ENROLMENT_STATUS_LABELS } from '@shipei/enrolment';
import { DELIVERY_STATUS_LABELS } from '@shipei/notifications';
import { PROGRAM_STATUS_LABELS } from '@shipei/programs';
import { PLACEMENT_STATUS_LABELS } from '@shipei/talent-support';

/** Colour of a status tag (ui.md: each status label has a colour). */
export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

/**
 * The colour of each status tag, by kind. The words are not here: each status's word belongs to the
 * lib that owns the status (ui.md's table), so pages, exports, PDFs and the API say the same thing.
 * Pages show codes only through `{{status kind code}}`.
 */
const TONES: Record<string, [Record<string, string>, Record<string, Tone>]> = {
  enrolment: [
    ENROLMENT_STATUS_LABELS,
    {
      NOMINATED: 'warning',
      WAITLISTED: 'neutral',
      APPROVED: 'info',
      REJECTED: 'danger',
      CONFIRMED: 'success',
      DECLINED: 'neutral',
      WITHDRAWN: 'neutral',
      COMPLETED: 'success',
      NOT_COMPLETED: 'danger',
    },
  ],
  attendance: [
    // PENDING: no record yet and the session has not ended.
    { ...ATTENDANCE_STATUS_LABELS, PENDING: PENDING_LABEL },
    { PRESENT: 'success', LATE: 'warning', EXCUSED: 'info', ABSENT: 'danger', PENDING: 'neutral' },
  ],
  leave: [LEAVE_STATUS_LABELS, { PENDING: 'warning', APPROVED: 'success', REFUSED: 'danger' }],
  certificate: [CERTIFICATE_STATUS_LABELS, { VALID: 'success', REVOKED: 'danger' }],
  placement: [
    PLACEMENT_STATUS_LABELS,
    {
      NOMINATED: 'warning',
      APPROVED: 'info',
      REJECTED: 'danger',
      IN_SERVICE: 'success',
      COMPLETED: 'neutral',
      TERMINATED: 'danger',
    },
  ],
  program: [
    PROGRAM_STATUS_LABELS,
    { DRAFT: 'neutral', OPEN: 'info', CLOSED: 'warning', RUNNING: 'success', FINISHED: 'neutral' },
  ],
  delivery: [DELIVERY_STATUS_LABELS, { PENDING: 'warning', SENT: 'success', FAILED: 'danger', SKIPPED: 'neutral' }],
  account: [ACCOUNT_STATE_LABELS, { ACTIVE: 'success', LOCKED: 'danger', DISABLED: 'neutral', MUST_CHANGE: 'warning' }],
  // Not statuses of a lib: yes/no flags.
  flag: [
    { YES: '是', NO: '否' },
    { YES: 'info', NO: 'neutral' },
  ],
};

/** Word and colour of each status, by kind: the lib's word, the page's colour. */
export const STATUS_TAGS: Record<string, Record<string, [string, Tone]>> = Object.fromEntries(
  Object.entries(TONES).map(([kind, [words, tones]]) => [
    kind,
    Object.fromEntries(Object.entries(tones).map(([code, tone]) => [code, [words[code] ?? code, tone]])),
  ]),
);

export function statusLabel(kind: string, code: string): { label: string; tone: Tone } {
  const hit = STATUS_TAGS[kind]?.[code];
  return hit ? { label: hit[0], tone: hit[1] } : { label: code, tone: 'neutral' };
}

export function roleLabel(role: string | null | undefined): string {
  return role ? (ROLE_LABELS[role as Role] ?? role) : '';
}

export const GENDER_LABELS: Record<string, string> = { M: '男', F: '女' };

/** Audit log words (the log stores codes; people read these). Unknown codes show as they are. */
export const AUDIT_ACTIONS: Record<string, string> = {
  create: '新建',
  update: '修改',
  delete: '删除',
  reveal: '查看完整信息',
  login: '登录',
  lock: '账号锁定',
  unlock: '解锁',
  'reset-password': '重置密码',
  'change-password': '修改密码',
  import: '导入',
  export: '导出',
  open: '开始推荐',
  close: '截止推荐',
  start: '开始培训',
  finish: '结束培训',
  nominate: '推荐',
  approve: '审核通过',
  reject: '驳回',
  confirm: '报到',
  decline: '放弃',
  withdraw: '撤回',
  assign: '分班',
  checkin: '签到',
  correct: '更正考勤',
  mark: '标记考勤',
  refuse: '不批准',
  complete: '结业计算',
  issue: '颁发',
  revoke: '撤销',
  attach: '上传附件',
  resend: '重发消息',
  logout: '退出登录',
  'request-password-reset': '申请短信找回密码',
  'auto-assign': '自动分班',
  unassign: '移出班级',
  promote: '候补递补',
  'set-quotas': '分配名额',
  'set-trainers': '安排培训教师',
  'on-site-confirm': '现场报到',
  'scan-sync': '上传扫码签到',
  'create-team': '组建团队',
  'dissolve-team': '解散团队',
  'record-payment': '记录补助发放',
  'record-trip': '记录往返行程',
  'set-rule-defaults': '修改选派条件',
};

export const AUDIT_ENTITIES: Record<string, string> = {
  user: '账号',
  organisation: '单位',
  teacher: '教师',
  program: '培训项目',
  quota: '县区名额',
  enrolment: '推荐报名',
  cohort: '班级',
  session: '课次',
  attendance: '考勤',
  leave: '请假',
  leave_request: '请假',
  certificate: '证书',
  scheme: '人才支持计划',
  placement: '选派',
  delivery: '短信/邮件',
};

/** Field names as stored in the audit log (never values), in Chinese. */
export const FIELD_LABELS: Record<string, string> = {
  name: '姓名/名称',
  idNumber: '身份证号',
  phone: '手机号',
  schoolId: '学校',
  countyId: '县区',
  stage: '学段',
  stages: '学段',
  subject: '学科',
  title: '职称',
  backboneLevel: '骨干级别',
  teachingStartYear: '开始任教年份',
  appraisalsQualified: '近三年考核合格',
  onProbation: '试用期',
  specialPost: '特岗教师',
  qualificationCertNo: '教师资格证号',
  username: '用户名',
  password: '密码',
  role: '角色',
  organisationId: '所属单位',
  teacherId: '教师',
  active: '启用/停用',
  displayName: '显示名',
  type: '类型',
  parentId: '上级单位',
  code: '代码',
  povertyVillage: '贫困村学校',
  receivingSchool: '受援学校',
};
