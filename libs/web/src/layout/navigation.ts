import type { Role } from '@shipei/core';

export interface NavItem {
  label: string;
  href: string;
  roles: readonly Role[];
  /** Paths that mark this item as the current one (default: href and everything under it). */
  match?: RegExp;
  /** Items are grouped under headings in the left navigation. */
  group: string;
}

const STAFF: Role[] = ['CITY_ADMIN', 'COUNTY_ADMIN'];

/**
 * The left navigation, by role. A module's pages add their entries here (in the group where a
 * user would look for them); the frame shows each user the entries of their role, in this order.
 */
export const NAV_ITEMS: NavItem[] = [
  {
    group: '首页',
    label: '工作台',
    href: '/app',
    roles: ['CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER'],
    match: /^\/app\/?$/,
  },
  { group: '首页', label: '我的首页', href: '/app', roles: ['TEACHER'], match: /^\/app\/?$/ },
  // Trainer pages (/app/trainer/…) and the teacher's own pages (/app/me/…).
  {
    group: '培训教学',
    label: '我的班级',
    href: '/app/trainer',
    roles: ['TRAINER'],
    match: /^\/app\/trainer(\/(cohorts|sessions)(\/.*)?)?\/?$/,
  },
  { group: '培训教学', label: '请假审批', href: '/app/trainer/leave', roles: ['TRAINER'] },
  {
    group: '首页',
    label: '通知公告',
    href: '/app/announcements',
    roles: ['CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER', 'TEACHER'],
  },
  { group: '我的培训', label: '我的培训', href: '/app/me/programs', roles: ['TEACHER'] },
  { group: '我的培训', label: '我的考勤', href: '/app/me/attendance', roles: ['TEACHER'] },
  { group: '我的培训', label: '请假', href: '/app/me/leave', roles: ['TEACHER'] },
  { group: '我的培训', label: '我的证书', href: '/app/me/certificates', roles: ['TEACHER'] },
  { group: '我的培训', label: '培训评价', href: '/app/me/surveys', roles: ['TEACHER'] },
  // 培训项目 (programs, quotas, nominations, cohorts), 证书, 人才支持计划: added by their modules.
  // Office and county pages: cohorts live under /app/programs/:id/cohorts/… (trainers' own pages use other paths).
  { group: '培训项目', label: '培训项目', href: '/app/programs', roles: STAFF },
  { group: '培训项目', label: '证书登记', href: '/app/certificate-register', roles: STAFF },
  { group: '人才支持计划', label: '支持计划', href: '/app/schemes', roles: STAFF },
  { group: '人才支持计划', label: '选派管理', href: '/app/placements', roles: STAFF },
  { group: '培训档案', label: '教师档案', href: '/app/records/teachers', roles: STAFF },
  { group: '培训档案', label: '学时达标', href: '/app/records/compliance', roles: STAFF },
  { group: '学校与教师', label: '学校管理', href: '/app/schools', roles: STAFF },
  { group: '学校与教师', label: '教师管理', href: '/app/teachers', roles: STAFF },
  { group: '系统管理', label: '账号管理', href: '/app/users', roles: STAFF },
  { group: '系统管理', label: '发送记录', href: '/app/deliveries', roles: ['CITY_ADMIN'] },
  { group: '系统管理', label: '审计日志', href: '/app/audit', roles: ['CITY_ADMIN'] },
];

export interface NavGroupView {
  label: string;
  items: { label: string; href: string; current: boolean }[];
}

/** The navigation of one role, grouped, with the current page marked. */
export function navigationFor(role: Role, path: string): NavGroupView[] {
  const groups: NavGroupView[] = [];
  for (const item of NAV_ITEMS) {
    if (!item.roles.includes(role)) continue;
    const current = item.match ? item.match.test(path) : path === item.href || path.startsWith(`${item.href}/`);
    let group = groups.find((g) => g.label === item.group);
    if (!group) groups.push((group = { label: item.group, items: [] }));
    group.items.push({ label: item.label, href: item.href, current });
  }
  return groups;
}

/** Where each role lands after logging in. */
export const HOME_PATH = '/app';
