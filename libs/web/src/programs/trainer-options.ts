import type { UsersService } from '@shipei/auth';
import type { TransactionRunner } from '@shipei/core';
import type { Option } from './program-view';

/** The active trainer accounts for the cohort forms' select (`UsersService.activeTrainers`), labelled 姓名（账号）. */
export async function trainerOptions(tx: TransactionRunner, users: UsersService): Promise<Option[]> {
  const rows = await tx.read((em) => users.activeTrainers(em));
  return rows.map((u) => ({
    value: u.id,
    label: u.displayName && u.displayName !== u.username ? `${u.displayName}（${u.username}）` : u.username,
  }));
}
