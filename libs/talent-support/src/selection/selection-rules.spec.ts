import {
  ageOn,
  CandidateFacts,
  DEFAULT_RULES,
  failedRules,
  SelectionRules,
  titleRank,
  yearsOfService,
} from './selection-rules';

const TERM_START = '2019-09-01';
const good: CandidateFacts = {
  title: '一级教师',
  stage: '小学',
  backboneLevel: 'NONE',
  gender: 'M',
  birthDate: '1980-05-01',
  teachingStartYear: 2014,
  appraisalsQualified: true,
  onProbation: false,
  specialPost: false,
  putonghuaLevel: null,
  homeSchoolReceiving: false,
};
const OFF: SelectionRules = {
  homeNotReceiving: false,
  minTitle: null,
  kindergartenMinTitle: null,
  minBackboneLevel: null,
  minYearsOfService: null,
  maxAgeMale: null,
  maxAgeFemale: null,
  appraisalsQualified: false,
  notOnProbation: false,
  notSpecialPost: false,
  minPutonghua: null,
};
const only = (rules: Partial<SelectionRules>, facts: Partial<CandidateFacts>) =>
  failedRules({ ...OFF, ...rules }, { ...good, ...facts }, TERM_START);

describe('selection rules', () => {
  it('passes a teacher who meets every default rule exactly at its edge', () => {
    expect(yearsOfService(2014, TERM_START)).toBe(5);
    expect(failedRules(DEFAULT_RULES, good, TERM_START)).toEqual([]);
  });

  it('refuses a teacher whose own school is a receiving school, unless the rule is off', () => {
    expect(failedRules(DEFAULT_RULES, { ...good, homeSchoolReceiving: true }, TERM_START)).toEqual([
      '所在学校本身是受援学校（计划从城镇学校选派教师到受援学校）',
    ]);
    expect(
      failedRules({ ...DEFAULT_RULES, homeNotReceiving: false }, { ...good, homeSchoolReceiving: true }, TERM_START),
    ).toEqual([]);
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

  it('relaxes the title for kindergarten teachers only, when the scheme says so', () => {
    const kg = { stage: '幼儿园', title: '二级教师' };
    expect(only({ minTitle: '一级教师' }, kg)).toEqual(['职称须为一级教师及以上（现为二级教师）']);
    expect(only({ minTitle: '一级教师', kindergartenMinTitle: '二级教师' }, kg)).toEqual([]);
    expect(
      only({ minTitle: '一级教师', kindergartenMinTitle: '二级教师' }, { stage: '幼儿园', title: '三级教师' }),
    ).toEqual(['职称须为二级教师及以上（现为三级教师）']);
    // A primary teacher is held to the general title.
    expect(only({ minTitle: '一级教师', kindergartenMinTitle: '二级教师' }, { title: '二级教师' })).toHaveLength(1);
  });

  it('requires a 骨干 level at or above the one set', () => {
    expect(only({ minBackboneLevel: 'CITY' }, { backboneLevel: 'CITY' })).toEqual([]);
    expect(only({ minBackboneLevel: 'CITY' }, { backboneLevel: 'PROVINCE' })).toEqual([]);
    expect(only({ minBackboneLevel: 'CITY' }, { backboneLevel: 'COUNTY' })).toEqual([
      '须为市级及以上骨干教师（现为县级）',
    ]);
    expect(only({ minBackboneLevel: 'COUNTY' }, { backboneLevel: 'NONE' })).toEqual([
      '须为县级及以上骨干教师（现非骨干教师）',
    ]);
    expect(only({}, { backboneLevel: 'NONE' })).toEqual([]);
  });

  it('counts age in full years at the term start, with separate limits for men and women', () => {
    expect(ageOn('1969-09-01', TERM_START)).toBe(50);
    expect(ageOn('1969-09-02', TERM_START)).toBe(49);
    expect(ageOn('2000-02-29', '2019-02-28')).toBe(18);
    expect(ageOn('2000-02-29', '2019-03-01')).toBe(19);
    const limits = { maxAgeMale: 50, maxAgeFemale: 45 };
    expect(only(limits, { gender: 'M', birthDate: '1969-09-01' })).toEqual([]);
    // Turned 50 the day before the term: still 50, within the limit.
    expect(only(limits, { gender: 'M', birthDate: '1969-08-31' })).toEqual([]);
    expect(only(limits, { gender: 'M', birthDate: '1968-09-01' })).toEqual([
      '男教师年龄不超过 50 周岁（服务期开始时 51 周岁）',
    ]);
    expect(only(limits, { gender: 'F', birthDate: '1974-09-01' })).toEqual([]);
    expect(only(limits, { gender: 'F', birthDate: '1973-09-01' })).toEqual([
      '女教师年龄不超过 45 周岁（服务期开始时 46 周岁）',
    ]);
    // A woman of 46 passes where only men are limited.
    expect(only({ maxAgeMale: 50 }, { gender: 'F', birthDate: '1973-09-01' })).toEqual([]);
  });

  it('fails a missing appraisal, probation and 特岗', () => {
    expect(failedRules(DEFAULT_RULES, { ...good, appraisalsQualified: false }, TERM_START)).toEqual([
      '近三年年度考核未全部合格',
    ]);
    expect(failedRules(DEFAULT_RULES, { ...good, onProbation: true }, TERM_START)).toEqual(['尚在试用期内']);
    expect(failedRules(DEFAULT_RULES, { ...good, specialPost: true }, TERM_START)).toEqual(['特岗教师不得选派']);
  });

  it('checks 普通话 only where a level is recorded', () => {
    expect(failedRules(DEFAULT_RULES, { ...good, putonghuaLevel: null }, TERM_START)).toEqual([]);
    expect(failedRules(DEFAULT_RULES, { ...good, putonghuaLevel: '二级乙等' }, TERM_START)).toEqual([]);
    expect(failedRules(DEFAULT_RULES, { ...good, putonghuaLevel: '一级甲等' }, TERM_START)).toEqual([]);
    expect(failedRules(DEFAULT_RULES, { ...good, putonghuaLevel: '三级甲等' }, TERM_START)).toEqual([
      '普通话须达到二级乙等及以上（现为三级甲等）',
    ]);
    expect(only({ minPutonghua: '二级甲等' }, { putonghuaLevel: '二级乙等' })).toHaveLength(1);
    expect(only({}, { putonghuaLevel: '三级乙等' })).toEqual([]);
  });

  it('reports every failed rule at once', () => {
    const all = failedRules(
      { ...DEFAULT_RULES, minBackboneLevel: 'COUNTY', maxAgeMale: 50 },
      {
        title: '三级教师',
        stage: '初中',
        backboneLevel: 'NONE',
        gender: 'M',
        birthDate: '1960-01-01',
        teachingStartYear: 2018,
        appraisalsQualified: false,
        onProbation: true,
        specialPost: true,
        putonghuaLevel: '三级乙等',
        homeSchoolReceiving: true,
      },
      TERM_START,
    );
    expect(all).toHaveLength(9);
  });

  it('applies a scheme’s own rules, and none when all are off', () => {
    const strict = { ...DEFAULT_RULES, minYearsOfService: 10, minTitle: '高级教师' as const };
    expect(failedRules(strict, good, TERM_START)).toHaveLength(2);
    expect(
      failedRules(
        OFF,
        {
          ...good,
          title: null,
          teachingStartYear: null,
          appraisalsQualified: false,
          onProbation: true,
          specialPost: true,
          putonghuaLevel: '三级乙等',
          homeSchoolReceiving: true,
          birthDate: '1940-01-01',
        },
        TERM_START,
      ),
    ).toEqual([]);
  });
});
