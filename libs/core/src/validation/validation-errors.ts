import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { BadInputError } from '../errors/domain-error';

export interface FieldError {
  field: string;
  message: string;
}

/** Chinese wording for class-validator's constraints when a decorator gives no message of its own. */
const ZH: Record<string, (c: string) => string> = {
  whitelistValidation: () => '不允许的字段',
  isDefined: () => '不能为空',
  isNotEmpty: () => '不能为空',
  isString: () => '必须是文本',
  isInt: () => '必须是整数',
  isNumber: () => '必须是数字',
  isBoolean: () => '必须是 true 或 false',
  isEnum: () => '取值不在允许范围内',
  isIn: () => '取值不在允许范围内',
  isArray: () => '必须是数组',
  isDateString: () => '必须是日期，格式 YYYY-MM-DD',
  isISO8601: () => '必须是日期或时间（ISO 8601）',
  isDate: () => '必须是日期',
  min: (c) => `不能小于 ${num(c)}`,
  max: (c) => `不能大于 ${num(c)}`,
  minLength: (c) => `长度不能少于 ${num(c)} 个字符`,
  maxLength: (c) => `长度不能超过 ${num(c)} 个字符`,
  length: () => '长度不符合要求',
  arrayMinSize: (c) => `至少需要 ${num(c)} 项`,
  arrayMaxSize: (c) => `最多 ${num(c)} 项`,
  arrayUnique: () => '不能有重复项',
  matches: () => '格式不正确',
  isPositive: () => '必须是正数',
  nestedValidation: () => '必须是对象',
  isObject: () => '必须是对象',
  isUrl: () => '必须是网址',
};

function num(englishMessage: string): string {
  return englishMessage.match(/-?\d+(\.\d+)?/g)?.pop() ?? '';
}

/** The Chinese wording of one class-validator constraint (`isString`, `maxLength`…), from its English message's figures. */
export function constraintMessage(constraint: string, english: string): string {
  return ZH[constraint]?.(english) ?? '取值无效';
}

/** Flattens nested class-validator errors into `{field: 'a.b[0].c', message}` in Chinese. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = prefix
      ? /^\d+$/.test(e.property)
        ? `${prefix}[${e.property}]`
        : `${prefix}.${e.property}`
      : e.property;
    for (const [name, english] of Object.entries(e.constraints ?? {})) {
      const custom = /[\u4e00-\u9fff]/.test(english) ? english : undefined;
      out.push({ field, message: custom ?? constraintMessage(name, english) });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

export function validationFailed(errors: FieldError[]): BadInputError {
  const fields = [...new Set(errors.map((e) => e.field))];
  return new BadInputError(
    'VALIDATION_FAILED',
    `请求参数有误：${fields.slice(0, 5).join('、')}${fields.length > 5 ? ' 等' : ''}`,
    { errors },
  );
}

/**
 * Deeper than this, input is refused before class-transformer walks it: it recurses once per level
 * and a 1 MB body of `{"a":{"a":…}}` overflowed the stack (a 500). No DTO nests anywhere near this.
 */
export const MAX_INPUT_DEPTH = 32;

/** True when `value` nests objects/arrays more than `max` levels deep (checked without recursion). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

class DepthCheckedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const field = metadata.data ?? metadata.type;
    if (metadata.type !== 'custom' && nestedDeeperThan(value, MAX_INPUT_DEPTH)) {
      throw new BadInputError('TOO_DEEPLY_NESTED', `请求内容嵌套层级过深（最多 ${MAX_INPUT_DEPTH} 层）`, {
        errors: [{ field, message: `嵌套不能超过 ${MAX_INPUT_DEPTH} 层` }],
      });
    }
    try {
      return await super.transform(value, metadata);
    } catch (e) {
      // A validator that crashes on a strange value is still bad input, not a 500: class-validator's
      // IsNumber({ maxDecimalPlaces }) throws a TypeError on 1e-7 (no '.' in "1e-7").
      if (e instanceof TypeError || e instanceof RangeError) {
        throw new BadInputError('VALIDATION_FAILED', '请求参数有误：含有无法识别的取值', {
          errors: [{ field, message: '取值无效' }],
        });
      }
      throw e;
    }
  }
}

/** The global pipe: unknown fields refused, strings turned into numbers/booleans per the DTO, messages in Chinese. */
export function createValidationPipe(): ValidationPipe {
  return new DepthCheckedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
  });
}
