import { BadInputError } from '../errors/domain-error';
import { JsonSchemaPipe } from './json-schema-pipe';

const pipe = new JsonSchemaPipe<{ code: string; n?: number; tags?: string[] }>({
  type: 'object',
  required: ['code'],
  additionalProperties: false,
  properties: {
    code: { type: 'string', maxLength: 4 },
    n: { type: 'integer', minimum: 1 },
    tags: { type: 'array', items: { type: 'string' } },
  },
});

function refusal(value: unknown): { message: string; errors: { field: string; message: string }[] } {
  try {
    pipe.transform(value);
  } catch (e) {
    expect(e).toBeInstanceOf(BadInputError);
    const err = e as BadInputError;
    expect(err.status).toBe(400);
    expect(err.code).toBe('VALIDATION_FAILED');
    return { message: err.message, errors: (err.details as { errors: { field: string; message: string }[] }).errors };
  }
  throw new Error('accepted');
}

describe('JsonSchemaPipe', () => {
  it('passes a valid body through as it is, without coercing or dropping anything', () => {
    const body = { code: 'ab12', n: 2, tags: ['x'] };
    expect(pipe.transform(body)).toBe(body);
    expect(body).toEqual({ code: 'ab12', n: 2, tags: ['x'] });
  });

  it('refuses wrong types instead of coercing them, in Chinese, naming the field', () => {
    expect(refusal({ code: 123 }).errors).toEqual([{ field: 'code', message: '必须是文本' }]);
    expect(refusal({ code: 'a', n: '2' }).errors).toEqual([{ field: 'n', message: '必须是整数' }]);
    expect(refusal({ code: 'a', tags: ['x', 5] }).errors).toEqual([{ field: 'tags[1]', message: '必须是文本' }]);
    expect(refusal(['code']).errors).toEqual([{ field: 'body', message: '必须是对象' }]);
    expect(refusal(null).errors).toEqual([{ field: 'body', message: '必须是对象' }]);
  });

  it('lists every problem: missing and unknown fields, limits with their figures', () => {
    const r = refusal({ extra: 1, n: 0 });
    expect(r.errors).toEqual(
      expect.arrayContaining([
        { field: 'code', message: '不能为空' },
        { field: 'extra', message: '不允许的字段' },
        { field: 'n', message: '不能小于 1' },
      ]),
    );
    expect(r.errors).toHaveLength(3);
    expect(r.message).toMatch(/^请求参数有误：/);
    expect(refusal({ code: 'abcde' }).errors).toEqual([{ field: 'code', message: '长度不能超过 4 个字符' }]);
  });
});
