import type { QuestionKind } from './survey.entities';

export interface TemplateQuestion {
  kind: QuestionKind;
  text: string;
  sessionId?: number | null;
}

/** The usual items of a 国培/省培 训后满意度测评, before the per-session ones. */
const OPENING: TemplateQuestion[] = [
  { kind: 'RATING', text: '培训主题与您的教学需求是否契合' },
  { kind: 'RATING', text: '课程内容的针对性与实用性' },
  { kind: 'RATING', text: '授课专家的专业水平与授课效果' },
];

const CLOSING: TemplateQuestion[] = [
  { kind: 'RATING', text: '培训方式（讲授、研讨、观摩、实践）的多样性' },
  { kind: 'RATING', text: '培训组织管理与班级服务' },
  { kind: 'RATING', text: '食宿、场地等后勤保障' },
  { kind: 'RATING', text: '对本次培训的总体满意度' },
  { kind: 'TEXT', text: '本次培训您最大的收获是什么？' },
  { kind: 'TEXT', text: '对今后培训的意见和建议' },
];

/**
 * The default form (`template: "DEFAULT"`): the general items, then one rating per session of the
 * cohort (its lecturer's 授课满意度, which the office's per-lecturer results read), then the closing items.
 */
export function defaultSurvey(sessions: { id: number; title: string }[] = []): TemplateQuestion[] {
  return [
    ...OPENING,
    ...sessions.map((s) => ({ kind: 'RATING' as const, text: `《${s.title}》授课满意度`, sessionId: s.id })),
    ...CLOSING,
  ];
}
