import { BadRequestException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ConflictError } from '../errors/domain-error';
import { mapError } from './error-mapping';

describe('mapError', () => {
  it('keeps a domain error as it is', () => {
    const m = mapError(new ConflictError('QUOTA_FULL', '名额已满', { countyId: 3 }));
    expect(m).toEqual({
      status: 409,
      body: { statusCode: 409, code: 'QUOTA_FULL', message: '名额已满', countyId: 3 },
      unexpected: false,
    });
  });

  it('turns a duplicate key on either engine into 409', () => {
    for (const code of ['ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE']) {
      const err = new QueryFailedError('INSERT', [], Object.assign(new Error('dup'), { code }));
      expect(mapError(err).status).toBe(409);
      expect(mapError(err).body.code).toBe('DUPLICATE');
    }
  });

  it('gives Chinese messages for framework errors and hides internals of unknown ones', () => {
    expect(mapError(new NotFoundException('Cannot GET /x')).body.message).toBe('请求的资源不存在');
    expect(mapError(new BadRequestException()).status).toBe(400);
    const m = mapError(new TypeError('secret internals at line 3'));
    expect(m.status).toBe(500);
    expect(JSON.stringify(m.body)).not.toContain('secret');
    expect(m.unexpected).toBe(true);
  });

  it('maps a lost database to 503', () => {
    expect(
      mapError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' })).status,
    ).toBe(503);
  });

  it('answers the router’s own refusals and a null in a NOT NULL column in Chinese, never 500 (issue 9 fuzzing)', () => {
    const long = mapError(
      Object.assign(new Error("'/api/v1/teachers/999…' is exceeding the max param length"), {
        code: 'FST_ERR_MAX_PARAM_LENGTH',
      }),
    );
    expect(long.body).toEqual({ statusCode: 414, code: 'URI_TOO_LONG', message: '请求地址过长' });
    for (const code of ['ER_BAD_NULL_ERROR', 'SQLITE_CONSTRAINT_NOTNULL']) {
      const m = mapError(new QueryFailedError('UPDATE', [], Object.assign(new Error('null'), { code })));
      expect([m.status, m.body.code, m.unexpected]).toEqual([400, 'VALUE_REQUIRED', false]);
    }
  });
});
