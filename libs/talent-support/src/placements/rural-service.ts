import { dateOf, dayNumber, inclusiveDays } from '../stipend/proration';
import type { PlacementStatus } from './placement.entity';

export interface RuralService {
  /** Days actually in service (to today while still serving). */
  daysServed: number;
  /** Counts as 城镇教师到乡村任教经历 for title promotion (职称评聘). */
  counts: boolean;
  note: string;
}

/**
 * What a placement counts for in the teacher's file (一人一档): the national notices count the 支教
 * year as rural teaching experience for 职称 promotion. A full term with a passing assessment counts;
 * an early return records the days served without claiming the year; a term under way counts only
 * once it is completed. (⚠️ No source says whether 基本合格 counts: it is counted, 不合格 is not.)
 */
export function ruralService(
  p: { status: PlacementStatus; arrivalDate: string | null; endDate: string | null; assessment: string | null },
  termEnd: string,
  today: string,
): RuralService {
  if (!p.arrivalDate) return { daysServed: 0, counts: false, note: '尚未到岗' };
  const to =
    p.status === 'IN_SERVICE' ? dateOf(Math.min(dayNumber(today), dayNumber(termEnd))) : (p.endDate ?? p.arrivalDate);
  const daysServed = inclusiveDays(p.arrivalDate, to);
  if (p.status === 'COMPLETED') {
    if (p.assessment === '不合格') return { daysServed, counts: false, note: '期满考核不合格，不计入农村任教经历' };
    return { daysServed, counts: true, note: `计入城镇教师到乡村任教经历（${daysServed} 天），可用于职称评聘` };
  }
  if (p.status === 'TERMINATED')
    return { daysServed, counts: false, note: `提前结束，实际在岗 ${daysServed} 天，未满服务期` };
  return { daysServed, counts: false, note: `在岗支教中（已 ${daysServed} 天），期满考核合格后计入农村任教经历` };
}
