import { BadInputError, ConflictError, UnauthorizedError } from '@shipei/core';
import { formatDate, formatDateTime, formatMoney, shanghaiDayStart } from './format';
import { formErrors, readForm } from './forms';
import { pager, queryString } from './list';
import { loginUrl, safeNext } from './page-exception.filter';
import { lifetimeSeconds } from './session-cookie';
import { createViewEngine } from './view-helpers';

describe('web helpers', () => {
  it('reads a form into the JSON shape of a DTO', () => {
    const body = {
      name: '  张三 ',
      schoolId: '12',
      year: 'abc',
      stages: ['小学', ' 初中 '],
      flag: 'true',
      empty: '',
      gone: undefined,
    };
    expect(
      readForm(body, {
        name: 'text',
        schoolId: 'int',
        year: 'int',
        stages: 'list',
        flag: 'bool',
        off: 'bool',
        empty: 'text',
        gone: 'text',
      }),
    ).toEqual({
      name: '张三',
      schoolId: 12,
      // Not a number: passed on, so the DTO's own message is shown.
      year: 'abc',
      stages: ['小学', '初中'],
      flag: true,
      off: false,
    });
    expect(readForm({ subject: '' }, { subject: 'text' }, { emptyAsNull: ['subject'] })).toEqual({ subject: null });
  });

  it('puts field errors under their fields, coded conflicts under theirs, the rest at the top', () => {
    const bad = new BadInputError('VALIDATION_FAILED', '请求参数有误', {
      errors: [
        { field: 'idNumber', message: '身份证号无效' },
        { field: 'idNumber', message: '第二条' },
        { field: 'other', message: '别的问题' },
      ],
    });
    expect(formErrors(bad, ['idNumber'])).toEqual({ summary: '别的问题', fields: { idNumber: '身份证号无效' } });
    expect(
      formErrors(new ConflictError('DUPLICATE_PHONE', '该手机号已被使用'), ['phone'], { DUPLICATE_PHONE: 'phone' }),
    ).toEqual({ summary: '提交未成功，请按提示修改标红的项目。', fields: { phone: '该手机号已被使用' } });
    expect(formErrors(new ConflictError('QUOTA_FULL', '名额已满'), ['phone'])).toEqual({
      summary: '名额已满',
      fields: {},
    });
    // An ended session and our own failures are not form errors.
    expect(formErrors(new UnauthorizedError(), [])).toBeNull();
    expect(
      formErrors(new UnauthorizedError('INVALID_CREDENTIALS', '用户名或密码错误'), [], {}, { loginForm: true })
        ?.summary,
    ).toBe('用户名或密码错误');
    expect(formErrors(new TypeError('boom'), [])).toBeNull();
  });

  it('pages a list keeping its filters', () => {
    const p = pager('/app/teachers', { items: [], total: 205, page: 3, pageSize: 20 }, { q: '张', stage: '' });
    expect(p.pages).toBe(11);
    expect(p.prev).toBe('/app/teachers?q=%E5%BC%A0&page=2');
    expect(p.next).toBe('/app/teachers?q=%E5%BC%A0&page=4');
    expect(p.links.map((l) => l.page)).toEqual([1, 2, 3, 4, 5]);
    expect(p.hidden).toEqual([{ name: 'q', value: '张' }]);
    expect(pager('/x', { items: [], total: 0, page: 1, pageSize: 20 }, {})).toMatchObject({
      pages: 1,
      prev: null,
      next: null,
    });
    expect(queryString({ a: '', b: null, c: 0 })).toBe('?c=0');
  });

  it('formats dates, times and money as ui.md says, in Shanghai time', () => {
    expect(formatDateTime(new Date('2025-03-01T16:05:00Z'))).toBe('2025-03-02 00:05');
    expect(formatDate('2019-07-01')).toBe('2019-07-01');
    expect(formatMoney(20000)).toBe('¥20,000.00');
    expect(shanghaiDayStart('2025-03-02')?.toISOString()).toBe('2025-03-01T16:00:00.000Z');
    expect(shanghaiDayStart('2025-3-2')).toBeNull();
  });

  it('only comes back to paths of this site after login', () => {
    expect(safeNext('/app/teachers?q=1')).toBe('/app/teachers?q=1');
    expect(safeNext('/app/中文?q=张')).toBe('/app/%E4%B8%AD%E6%96%87?q=%E5%BC%A0');
    expect(safeNext('/app/teachers?q=%E5%BC%A0')).toBe('/app/teachers?q=%E5%BC%A0');
    for (const bad of [
      '//evil.example',
      '/\\evil',
      'https://evil.example',
      'app',
      '/login',
      '/logout?x',
      '/app/\u0001x',
      '/app/\r\nSet-Cookie: x=1',
      '/app/\ud800',
      undefined,
      42,
    ])
      expect(safeNext(bad)).toBeNull();
    expect(loginUrl('/app')).toBe('/login');
    expect(loginUrl('/app/x')).toBe('/login?next=%2Fapp%2Fx');
  });

  it('keeps the cookie as long as the token', () => {
    expect(lifetimeSeconds('8h')).toBe(28800);
    expect(lifetimeSeconds('30m')).toBe(1800);
    expect(lifetimeSeconds('1d')).toBe(86400);
  });

  it('escapes user data in templates and in the status helper', () => {
    const hbs = createViewEngine();
    expect(hbs.compile('{{name}}')({ name: '<b>x</b>' })).toBe('&lt;b&gt;x&lt;/b&gt;');
    expect(hbs.compile('{{status "enrolment" code}}')({ code: 'NOMINATED' })).toBe(
      '<span class="tag tag-warning">待审核</span>',
    );
    expect(hbs.compile('{{status "enrolment" code}}')({ code: '<i>' })).toBe(
      '<span class="tag tag-neutral">&lt;i&gt;</span>',
    );
    expect(
      hbs.compile('{{selected 2 v}}|{{checked "a" list}}|{{checked flag}}')({ v: '2', list: ['a'], flag: false }),
    ).toBe('selected|checked|');
  });
});
