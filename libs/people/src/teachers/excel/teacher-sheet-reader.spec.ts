import { readCell } from '@shipei/core';
import { parseRow } from './teacher-sheet-reader';

const ID = '11010519491231002X';
const school = (text: string) => (text === '一小' ? 7 : { error: `没有「${text}」` });
const cells = (over: Record<string, unknown> = {}) =>
  Object.fromEntries(
    Object.entries({ name: '李梅', idNumber: ID, phone: '13912345678', school: '一小', ...over }).map(([k, v]) => [
      k,
      readCell(v),
    ]),
  );

describe('teacher sheet cells', () => {
  it('maps Chinese labels to codes and keeps blank optional cells undefined', () => {
    const { row, errors } = parseRow(
      5,
      cells({
        backboneLevel: '省级',
        appraisalsQualified: '是',
        onProbation: false,
        teachingStartYear: new Date(Date.UTC(2008, 8, 1)),
      }),
      school,
      2025,
    );
    expect(errors).toEqual([]);
    expect(row).toMatchObject({
      row: 5,
      idNumber: ID,
      gender: 'F',
      birthDate: '1949-12-31',
      schoolId: 7,
      backboneLevel: 'PROVINCE',
      appraisalsQualified: true,
      onProbation: false,
      teachingStartYear: 2008,
    });
    expect(row!.stage).toBeUndefined();
    expect(row!.specialPost).toBeUndefined();
  });

  it('refuses an 18-digit 身份证号 stored as a number (digits beyond 15 are lost) and asks for a text cell', () => {
    const { errors } = parseRow(9, cells({ idNumber: 110105194912310020 }), school, 2025);
    expect(errors).toEqual([{ row: 9, column: '身份证号', message: expect.stringContaining('文本格式') }]);
  });

  it('accepts an exact number where one is expected (phone) and reports every bad cell of a row', () => {
    expect(parseRow(3, cells({ phone: 13912345678 }), school, 2025).errors).toEqual([]);
    const { errors } = parseRow(
      4,
      cells({
        name: 'A',
        school: '二小',
        stage: '大学',
        specialPost: '对',
        teachingStartYear: 2030,
        qualificationCertNo: '证-1',
      }),
      school,
      2025,
    );
    expect(errors.map((e) => e.column)).toEqual(['姓名', '学校', '学段', '开始任教年份', '教师资格证号', '特岗教师']);
    expect(errors.find((e) => e.column === '学校')!.message).toBe('没有「二小」');
  });
});
