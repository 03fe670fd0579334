import { Injectable, PipeTransform } from '@nestjs/common';
import { BadInputError } from '../errors/domain-error';

/** A path id: a positive safe integer, else 400 in Chinese (never a 500 or a database error). */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const n = /^\d{1,15}$/.test(String(value)) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) throw new BadInputError('INVALID_ID', '编号无效，应为正整数');
    return n;
  }
}
