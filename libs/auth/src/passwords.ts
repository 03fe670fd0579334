import * as argon2 from 'argon2';
import { BadInputError } from '@shipei/core';

// argon2id at OWASP's recommended minimum (19 MiB, 2 passes): ~20 ms a hash on this machine.
const OPTIONS = { type: argon2.argon2id as 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Password rule (等保): at least 8 characters, with letters and digits. */
export function passwordProblem(password: string): string | null {
  if (typeof password !== 'string' || password.length < 8) return '密码长度至少 8 位';
  if (password.length > 128) return '密码长度不能超过 128 位';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码须同时包含字母和数字';
  return null;
}

export function assertPasswordRule(password: string, field = 'password'): void {
  const problem = passwordProblem(password);
  if (problem) throw new BadInputError('WEAK_PASSWORD', problem, { errors: [{ field, message: problem }] });
}
