import type { UserDto } from '../dto/user.dto';

/** What an account can do now: log in (ACTIVE), not until its lock-out ends (LOCKED), not at all (DISABLED). */
export type AccountState = 'ACTIVE' | 'LOCKED' | 'DISABLED';

/** The words of the account states (ui.md: one word per status, from the lib that owns it). */
export const ACCOUNT_STATE_LABELS: Record<AccountState | 'MUST_CHANGE', string> = {
  ACTIVE: '正常',
  LOCKED: '已锁定',
  DISABLED: '已停用',
  MUST_CHANGE: '待修改初始密码',
};

/** The state of a listed account (`lockedUntil` is set only while a lock-out is in force). */
export function accountState(u: Pick<UserDto, 'active' | 'lockedUntil'>): AccountState {
  if (!u.active) return 'DISABLED';
  return u.lockedUntil ? 'LOCKED' : 'ACTIVE';
}
