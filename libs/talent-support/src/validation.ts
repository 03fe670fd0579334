import { ValidateBy, ValidationOptions } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { PipeTransform } from '@nestjs/common';
import { BadInputError, flattenValidationErrors, validationFailed } from '@shipei/core';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(v: unknown): v is string {
  if (typeof v !== 'string' || !ISO_DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** A real calendar date written 'YYYY-MM-DD' (2019-02-29 is refused). */
export const IsCalendarDate = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isCalendarDate',
      validator: { validate: isCalendarDate, defaultMessage: () => '必须是日期，格式 YYYY-MM-DD' },
    },
    options,
  );

/**
 * Validates a JSON array body item by item with the same rules as the global pipe
 * (unknown fields refused, Chinese messages, fields named `[i].field`). The global pipe
 * leaves array bodies alone, so array routes use this one.
 */
export class ArrayBodyPipe<T extends object> implements PipeTransform<unknown, Promise<T[]>> {
  constructor(
    private readonly item: new () => T,
    private readonly maxItems = 200,
  ) {}

  async transform(value: unknown): Promise<T[]> {
    if (!Array.isArray(value))
      throw new BadInputError('VALIDATION_FAILED', '请求体应为数组', {
        errors: [{ field: '', message: '请求体应为数组' }],
      });
    if (value.length > this.maxItems)
      throw new BadInputError('VALIDATION_FAILED', `最多 ${this.maxItems} 项`, {
        errors: [{ field: '', message: `最多 ${this.maxItems} 项` }],
      });
    const out: T[] = [];
    const fieldErrors = [];
    for (let i = 0; i < value.length; i++) {
      const raw = value[i];
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        fieldErrors.push({ field: `[${i}]`, message: '必须是对象' });
        continue;
      }
      const inst = plainToInstance(this.item, raw);
      const errs = await validate(inst, {
        whitelist: true,
        forbidNonWhitelisted: true,
        forbidUnknownValues: true,
        validationError: { target: false, value: false },
      });
      fieldErrors.push(...flattenValidationErrors(errs, `[${i}]`));
      out.push(inst);
    }
    if (fieldErrors.length) throw validationFailed(fieldErrors);
    return out;
  }
}
