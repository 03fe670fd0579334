import { TITLES, type Title } from '@shipei/people';

/**
 * The selection rules of a scheme (选派条件). Defaults are those of the national notices for the
 * "三区" teacher program: at least five years' service, title 一级教师 or above, annual appraisals
 * qualified in the last three years, not on probation, not a 特岗 teacher. Each can be switched off
 * (a null minimum, a false flag) or changed per scheme.
 */
export interface SelectionRules {
  /** Minimum years of service, counted as (year the term starts − year teaching began); null = no minimum. */
  minYearsOfService: number | null;
  /** Lowest acceptable 职称; null = any. */
  minTitle: Title | null;
  /** 近三年年度考核合格 required. */
  appraisalsQualified: boolean;
  /** Teachers still on probation (试用期) excluded. */
  notOnProbation: boolean;
  /** 特岗 teachers excluded. */
  notSpecialPost: boolean;
}

export const DEFAULT_RULES: SelectionRules = {
  minYearsOfService: 5,
  minTitle: '一级教师',
  appraisalsQualified: true,
  notOnProbation: true,
  notSpecialPost: true,
};

/** The facts about a teacher the rules look at. */
export interface CandidateFacts {
  title: string | null;
  teachingStartYear: number | null;
  appraisalsQualified: boolean;
  onProbation: boolean;
  specialPost: boolean;
}

/** Rank of a title: 0 for 正高级教师 (highest) … 5 for 未定级; unknown titles rank as 未定级. */
export function titleRank(title: string | null): number {
  const i = TITLES.indexOf(title as Title);
  return i < 0 ? TITLES.length - 1 : i;
}

/** Years of service at the start of the term, or null when the year teaching began is unknown. */
export function yearsOfService(teachingStartYear: number | null, termStart: string): number | null {
  if (teachingStartYear == null) return null;
  return Number(termStart.slice(0, 4)) - teachingStartYear;
}

/**
 * Every rule the candidate fails, each as a Chinese reason (all at once, never only the first).
 * An empty list means the candidate is eligible.
 */
export function failedRules(rules: SelectionRules, t: CandidateFacts, termStart: string): string[] {
  const reasons: string[] = [];
  if (rules.minYearsOfService != null) {
    const years = yearsOfService(t.teachingStartYear, termStart);
    if (years == null) reasons.push(`未登记开始任教年份，无法确认教龄满 ${rules.minYearsOfService} 年`);
    else if (years < rules.minYearsOfService)
      reasons.push(`教龄不足 ${rules.minYearsOfService} 年（截至服务期开始为 ${Math.max(0, years)} 年）`);
  }
  if (rules.minTitle != null && titleRank(t.title) > titleRank(rules.minTitle)) {
    reasons.push(
      t.title ? `职称须为${rules.minTitle}及以上（现为${t.title}）` : `职称须为${rules.minTitle}及以上（未登记职称）`,
    );
  }
  if (rules.appraisalsQualified && !t.appraisalsQualified) reasons.push('近三年年度考核未全部合格');
  if (rules.notOnProbation && t.onProbation) reasons.push('尚在试用期内');
  if (rules.notSpecialPost && t.specialPost) reasons.push('特岗教师不得选派');
  return reasons;
}
