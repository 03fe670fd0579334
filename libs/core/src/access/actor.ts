export const ROLES = ['CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER', 'TEACHER'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  CITY_ADMIN: '市级管理员',
  COUNTY_ADMIN: '县区管理员',
  TRAINER: '培训教师',
  TEACHER: '教师',
};

/**
 * Who is asking. Built from the verified token for each request and passed to every
 * use case, so services never read the request. `countyId` is set for county admins,
 * `teacherId` for teachers.
 */
export interface Actor {
  userId: number;
  role: Role;
  organisationId: number | null;
  countyId: number | null;
  teacherId: number | null;
  ip?: string;
  requestId?: string;
}

/** The actor of work done by the system itself (migrations, seeds, jobs). */
export const SYSTEM_ACTOR: Actor = {
  userId: 0,
  role: 'CITY_ADMIN',
  organisationId: null,
  countyId: null,
  teacherId: null,
};
