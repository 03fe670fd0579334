import { ROLE_LABELS, type Role } from '@shipei/core';

/** Colour of a status tag (ui.md: each status label has a colour). */
export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

/**
 * Status labels and colours of ui.md, by kind. Pages show codes only through `{{status kind code}}`,
 * so a new module adds its statuses here and every page shows the same words.
 */
export const STATUS_TAGS: Record<string, Record<string, [string, Tone]>> = {
  enrolment: {
    NOMINATED: ['待审核', 'warning'],
    WAITLISTED: ['候补', 'neutral'],
    APPROVED: ['审核通过', 'info'],
    REJECTED: ['未通过', 'danger'],
    CONFIRMED: ['已报到', 'success'],
    DECLINED: ['已放弃', 'neutral'],
    WITHDRAWN: ['已撤回', 'neutral'],
    COMPLETED: ['已结业', 'success'],
    NOT_COMPLETED: ['未结业', 'danger'],
  },
  attendance: {
    PRESENT: ['出勤', 'success'],
    LATE: ['迟到', 'warning'],
    EXCUSED: ['请假', 'info'],
    ABSENT: ['缺勤', 'danger'],
    // No record yet and the session has not ended.
    PENDING: ['未签到', 'neutral'],
  },
  leave: {
    PENDING: ['待审批', 'warning'],
    APPROVED: ['已批准', 'success'],
    REFUSED: ['未批准', 'danger'],
  },
  certificate: {
    VALID: ['有效', 'success'],
    REVOKED: ['已撤销', 'danger'],
  },
  placement: {
    NOMINATED: ['已推荐', 'warning'],
    APPROVED: ['已批准', 'info'],
    REJECTED: ['未通过', 'danger'],
    IN_SERVICE: ['在岗支教', 'success'],
    COMPLETED: ['服务期满', 'neutral'],
    TERMINATED: ['提前终止', 'danger'],
  },
  program: {
    DRAFT: ['草稿', 'neutral'],
    OPEN: ['推荐中', 'info'],
    CLOSED: ['推荐截止', 'warning'],
    RUNNING: ['培训中', 'success'],
    FINISHED: ['已结束', 'neutral'],
  },
  account: {
    ACTIVE: ['启用', 'success'],
    INACTIVE: ['停用', 'neutral'],
    MUST_CHANGE: ['待修改初始密码', 'warning'],
  },
  flag: {
    YES: ['是', 'info'],
    NO: ['否', 'neutral'],
  },
};

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
  displayName: '显示名',
  type: '类型',
  parentId: '上级单位',
  code: '代码',
  povertyVillage: '贫困村学校',
  receivingSchool: '受援学校',
};
