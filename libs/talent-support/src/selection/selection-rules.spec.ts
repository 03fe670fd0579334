import { CandidateFacts, DEFAULT_RULES, failedRules, titleRank, yearsOfService } from './selection-rules';

const TERM_START = '2019-09-01';
const good: CandidateFacts = {
  title: '一级教师',
  teachingStartYear: 2014,
  appraisalsQualified: true,
  onProbation: false,
  specialPost: false,
};

describe('selection rules', () => {
  it('passes a teacher who meets every default rule exactly at its edge', () => {
    expect(yearsOfService(2014, TERM_START)).toBe(5);
    expect(failedRules(DEFAULT_RULES, good, TERM_START)).toEqual([]);
  });

  it('fails four years of service, and an unknown start year', () => {
    expect(failedRules(DEFAULT_RULES, { ...good, teachingStartYear: 2015 }, TERM_START)).toEqual([
      '教龄不足 5 年（截至服务期开始为 4 年）',
    ]);
    expect(failedRules(DEFAULT_RULES, { ...good, teachingStartYear: null }, TERM_START)).toEqual([
      '未登记开始任教年份，无法确认教龄满 5 年',
    ]);
  });

  it('orders titles and fails the one just below 一级教师', () => {
    expect(titleRank('正高级教师')).toBeLessThan(titleRank('高级教师'));
    expect(titleRank('高级教师')).toBeLessThan(titleRank('一级教师'));
    expect(titleRank('一级教师')).toBeLessThan(titleRank('二级教师'));
    expect(titleRank('三级教师')).toBeLessThan(titleRank('未定级'));
    expect(failedRules(DEFAULT_RULES, { ...good, title: '高级教师' }, TERM_START)).toEqual([]);
    expect(failedRules(DEFAULT_RULES, { ...good, title: '正高级教师' }, TERM_START)).toEqual([]);
    expect(failedRules(DEFAULT_RULES, { ...good, title: '二级教师' }, TERM_START)).toEqual([
      '职称须为一级教师及以上（现为二级教师）',
    ]);
    expect(failedRules(DEFAULT_RULES, { ...good, title: null }, TERM_START)).toEqual([
      '职称须为一级教师及以上（未登记职称）',
    ]);
  });

  it('fails a missing appraisal, probation and 特岗', () => {
    expect(failedRules(DEFAULT_RULES, { ...good, appraisalsQualified: false }, TERM_START)).toEqual([
      '近三年年度考核未全部合格',
    ]);
    expect(failedRules(DEFAULT_RULES, { ...good, onProbation: true }, TERM_START)).toEqual(['尚在试用期内']);
    expect(failedRules(DEFAULT_RULES, { ...good, specialPost: true }, TERM_START)).toEqual(['特岗教师不得选派']);
  });

  it('reports every failed rule at once', () => {
    const all = failedRules(
      DEFAULT_RULES,
      { title: '三级教师', teachingStartYear: 2018, appraisalsQualified: false, onProbation: true, specialPost: true },
      TERM_START,
    );
    expect(all).toHaveLength(5);
  });

  it('applies a scheme’s own rules, and none when all are off', () => {
    const strict = { ...DEFAULT_RULES, minYearsOfService: 10, minTitle: '高级教师' as const };
    expect(failedRules(strict, good, TERM_START)).toHaveLength(2);
    const off = {
      minYearsOfService: null,
      minTitle: null,
      appraisalsQualified: false,
      notOnProbation: false,
      notSpecialPost: false,
    };
    expect(
      failedRules(
        off,
        { title: null, teachingStartYear: null, appraisalsQualified: false, onProbation: true, specialPost: true },
        TERM_START,
      ),
    ).toEqual([]);
  });
});
