import {
  BACKBONE_LABELS,
  BACKBONE_LEVELS,
  PUTONGHUA_LEVELS,
  TITLES,
  type BackboneLevel,
  type PutonghuaLevel,
  type Title,
} from '@shipei/people';

/**
 * The selection rules of a scheme (选派条件). Each is on or off with its parameter (a null
 * minimum or maximum, a false flag = off) and can be changed per scheme. The defaults of the
 * "三区" scheme are those of the national notices (2021–2025): teachers of town schools sent to
 * receiving schools, title 一级教师 or above (kindergartens may relax it), at least five years'
 * service, appraisals qualified in the last three years, not on probation, not a 特岗 teacher, and
 * the 普通话 standard for teachers (二级乙等) where a level is recorded. Age limits and a 骨干 level
 * are provincial choices, off by default.
 */
export interface SelectionRules {
  /** The teacher's own school may not itself be a 受援学校 (the plan sends teachers *to* them). */
  homeNotReceiving: boolean;
  /** Lowest acceptable 职称; null = any. */
  minTitle: Title | null;
  /** Lowest 职称 for kindergarten (幼儿园) teachers; null = the same as `minTitle`. */
  kindergartenMinTitle: Title | null;
  /** Lowest 骨干教师 level (COUNTY = 县级及以上); null = not required. */
  minBackboneLevel: Exclude<BackboneLevel, 'NONE'> | null;
  /** Minimum years of service, counted as (year the term starts − year teaching began); null = no minimum. */
  minYearsOfService: number | null;
  /** Oldest age (full years at the term's start) of a man; null = no limit. */
  maxAgeMale: number | null;
  /** Oldest age (full years at the term's start) of a woman; null = no limit. */
  maxAgeFemale: number | null;
  /** 近三年年度考核合格 required. */
  appraisalsQualified: boolean;
  /** Teachers still on probation (试用期) excluded. */
  notOnProbation: boolean;
  /** 特岗 teachers excluded. */
  notSpecialPost: boolean;
  /** Lowest 普通话 level, checked only where the teacher's level is recorded; null = off. */
  minPutonghua: PutonghuaLevel | null;
}

export const DEFAULT_RULES: SelectionRules = {
  homeNotReceiving: true,
  minTitle: '一级教师',
  kindergartenMinTitle: null,
  minBackboneLevel: null,
  minYearsOfService: 5,
  maxAgeMale: null,
  maxAgeFemale: null,
  appraisalsQualified: true,
  notOnProbation: true,
  notSpecialPost: true,
  minPutonghua: '二级乙等',
};

export const RULE_KEYS = Object.keys(DEFAULT_RULES) as (keyof SelectionRules)[];

/** The facts about a teacher (and their school) the rules look at. */
export interface CandidateFacts {
  title: string | null;
  stage: string | null;
  backboneLevel: string | null;
  gender: 'M' | 'F';
  birthDate: string;
  teachingStartYear: number | null;
  appraisalsQualified: boolean;
  onProbation: boolean;
  specialPost: boolean;
  putonghuaLevel: string | null;
  /** The teacher's own school is a 受援学校. */
  homeSchoolReceiving: boolean;
}

/** Rank of a title: 0 for 正高级教师 (highest) … 5 for 未定级; unknown titles rank as 未定级. */
export function titleRank(title: string | null): number {
  const i = TITLES.indexOf(title as Title);
  return i < 0 ? TITLES.length - 1 : i;
}

/** Rank of a 骨干 level: 0 for none … 3 for 省级; unknown as none. */
function backboneRank(level: string | null): number {
  return Math.max(0, BACKBONE_LEVELS.indexOf(level as BackboneLevel));
}

/** Rank of a 普通话 level: 0 for 一级甲等 (highest) … 5 for 三级乙等. */
function putonghuaRank(level: string): number {
  const i = PUTONGHUA_LEVELS.indexOf(level as PutonghuaLevel);
  return i < 0 ? PUTONGHUA_LEVELS.length : i;
}

/** Years of service at the start of the term, or null when the year teaching began is unknown. */
export function yearsOfService(teachingStartYear: number | null, termStart: string): number | null {
  if (teachingStartYear == null) return null;
  return Number(termStart.slice(0, 4)) - teachingStartYear;
}

/** Age in full years on `date` (both 'YYYY-MM-DD'); born on 29 February, one turns a year older on 1 March. */
export function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/**
 * Every rule the candidate fails, each as a Chinese reason (all at once, never only the first).
 * An empty list means the candidate is eligible.
 */
export function failedRules(rules: SelectionRules, t: CandidateFacts, termStart: string): string[] {
  const reasons: string[] = [];
  if (rules.homeNotReceiving && t.homeSchoolReceiving)
    reasons.push('所在学校本身是受援学校（计划从城镇学校选派教师到受援学校）');
  if (rules.minYearsOfService != null) {
    const years = yearsOfService(t.teachingStartYear, termStart);
    if (years == null) reasons.push(`未登记开始任教年份，无法确认教龄满 ${rules.minYearsOfService} 年`);
    else if (years < rules.minYearsOfService)
      reasons.push(`教龄不足 ${rules.minYearsOfService} 年（截至服务期开始为 ${Math.max(0, years)} 年）`);
  }
  const minTitle = t.stage === '幼儿园' ? (rules.kindergartenMinTitle ?? rules.minTitle) : rules.minTitle;
  if (minTitle != null && titleRank(t.title) > titleRank(minTitle)) {
    reasons.push(t.title ? `职称须为${minTitle}及以上（现为${t.title}）` : `职称须为${minTitle}及以上（未登记职称）`);
  }
  if (rules.minBackboneLevel != null && backboneRank(t.backboneLevel) < backboneRank(rules.minBackboneLevel)) {
    const has = backboneRank(t.backboneLevel)
      ? `现为${BACKBONE_LABELS[t.backboneLevel as BackboneLevel]}`
      : '现非骨干教师';
    reasons.push(`须为${BACKBONE_LABELS[rules.minBackboneLevel]}及以上骨干教师（${has}）`);
  }
  const maxAge = t.gender === 'F' ? rules.maxAgeFemale : rules.maxAgeMale;
  if (maxAge != null) {
    const age = ageOn(t.birthDate, termStart);
    if (age > maxAge)
      reasons.push(`${t.gender === 'F' ? '女' : '男'}教师年龄不超过 ${maxAge} 周岁（服务期开始时 ${age} 周岁）`);
  }
  if (rules.appraisalsQualified && !t.appraisalsQualified) reasons.push('近三年年度考核未全部合格');
  if (rules.notOnProbation && t.onProbation) reasons.push('尚在试用期内');
  if (rules.notSpecialPost && t.specialPost) reasons.push('特岗教师不得选派');
  if (
    rules.minPutonghua != null &&
    t.putonghuaLevel &&
    putonghuaRank(t.putonghuaLevel) > putonghuaRank(rules.minPutonghua)
  )
    reasons.push(`普通话须达到${rules.minPutonghua}及以上（现为${t.putonghuaLevel}）`);
  return reasons;
}
