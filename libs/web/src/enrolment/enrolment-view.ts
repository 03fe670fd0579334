import { ENROLMENT_STATUSES, type EnrolmentDto } from '@shipei/enrolment';
import { STATUS_TAGS } from '../shared/labels';
import { percent, type Option } from '../programs/program-view';

export const ENROLMENT_STATUS_OPTIONS: Option[] = ENROLMENT_STATUSES.map((s) => ({
  value: s,
  label: STATUS_TAGS.enrolment[s]?.[0] ?? s,
}));

/** Enrolment statuses from which the teacher's county may still withdraw (before the start). */
export const WITHDRAWABLE = ['NOMINATED', 'WAITLISTED', 'APPROVED', 'CONFIRMED'];

export interface EnrolmentRow extends EnrolmentDto {
  countyName: string;
  cohortName: string;
  rateText: string;
}

/** An enrolment as the lists show it: county and cohort names, the attendance rate as a percentage. */
export function enrolmentRow(
  e: EnrolmentDto,
  counties: Map<number, string>,
  cohorts: Map<number, string>,
): EnrolmentRow {
  return {
    ...e,
    countyName: counties.get(e.countyId) ?? '',
    cohortName: e.cohortId ? (cohorts.get(e.cohortId) ?? '') : '',
    rateText: percent(e.attendanceRate),
  };
}
