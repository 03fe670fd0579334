import { Injectable } from '@nestjs/common';
import { AttendanceService, LeaveQuery, LeaveService, MyAttendanceDto } from '@shipei/attendance';
import { Actor, Clock, shanghaiDate, TransactionRunner } from '@shipei/core';
import { EnrolmentQuery, EnrolmentsService } from '@shipei/enrolment';
import { SurveysService } from '@shipei/evaluation';
import { AnnouncementQuery, AnnouncementsService } from '@shipei/notifications';
import { ProgramsService } from '@shipei/programs';
import { CYCLE_REQUIREMENT, TeacherFileService, YEARLY_REQUIREMENT } from '@shipei/records';
import { validateInput } from '../shared/forms';
import { formatDateTime, formatTime } from '../shared/format';
import { hoursText } from '../trainer/training-view';

/** One thing the teacher should do (or know) now, most urgent first. */
export interface NextStep {
  kind: 'session' | 'confirm' | 'form' | 'leave' | 'notice';
  title: string;
  detail: string;
  /** A link to act on it (GET), or a form to post (the confirm button). */
  href?: string;
  action?: { path: string; label: string };
  tone: 'primary' | 'info' | 'success' | 'warning';
}

export interface CreditProgress {
  label: string;
  hours: string;
  required: number;
  value: number;
  percent: number;
  met: boolean;
  shortfall: string;
}

/** A form (训后评价) the trainee has still to answer: see {@link TeacherHome.formsToAnswer}. */
export interface FormToAnswer {
  title: string;
  href: string;
}

const LEAVE_NEWS_DAYS = 7;

/**
 * The teacher's phone home (issue 19 point 5): what to do first — today's sessions and whether they
 * are checked in, a place to confirm, a form to answer, a leave decision, an unread notice — then the
 * 学时 of this year against 48 and of the five-year cycle against 360, then their cohorts' timetables.
 * Everything is read through the libs' own services, so it is the teacher's own data only.
 */
@Injectable()
export class TeacherHome {
  constructor(
    private readonly attendance: AttendanceService,
    private readonly leave: LeaveService,
    private readonly enrolments: EnrolmentsService,
    private readonly programs: ProgramsService,
    private readonly files: TeacherFileService,
    private readonly announcements: AnnouncementsService,
    private readonly surveys: SurveysService,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async view(actor: Actor) {
    const now = this.clock.now();
    const mine = await this.attendance.mine(actor);
    const [confirm, forms, leave, notices, credits] = await Promise.all([
      this.placesToConfirm(actor),
      this.formsToAnswer(actor),
      this.leaveNews(actor, now),
      this.unreadNotices(actor),
      this.credits(actor),
    ]);
    const steps: NextStep[] = [
      ...this.sessionsToday(mine, now),
      ...confirm,
      ...forms.map((f): NextStep => ({
        kind: 'form',
        title: '请填写培训评价',
        detail: f.title,
        href: f.href,
        tone: 'primary',
      })),
      ...leave,
      ...notices,
    ];
    return {
      steps,
      credits,
      timetables: mine.items.map((c) => ({
        cohortId: c.cohortId,
        label: `${c.programTitle} · ${c.cohortName}`,
      })),
    };
  }

  /** Today's sessions (Beijing date) of the cohorts the teacher is in, with their check-in. */
  private sessionsToday(mine: MyAttendanceDto, now: Date): NextStep[] {
    const today = shanghaiDate(now);
    const steps: NextStep[] = [];
    for (const c of mine.items)
      for (const s of c.sessions) {
        if (shanghaiDate(new Date(s.startsAt)) !== today) continue;
        const when = `今天 ${formatTime(s.startsAt)}–${formatTime(s.endsAt)}`;
        const over = new Date(s.endsAt) < now;
        const done = s.status !== null;
        steps.push({
          kind: 'session',
          title: `${when} ${s.title}`,
          detail: done
            ? `${c.cohortName} · ${s.statusLabel}${s.checkedInAt ? `（${formatTime(s.checkedInAt)}）` : ''}`
            : over
              ? `${c.cohortName} · 未签到（课次已结束，如有疑问请联系培训教师）`
              : `${c.cohortName} · 未签到：到场后扫描培训教师屏幕上的二维码，或出示签到凭证`,
          href: '/app/me/attendance',
          tone: done ? 'success' : over ? 'warning' : 'primary',
        });
      }
    return steps;
  }

  private async placesToConfirm(actor: Actor): Promise<NextStep[]> {
    const page = await this.tx.read(async (em) =>
      this.enrolments.list(
        em,
        actor,
        await validateInput(EnrolmentQuery, { pageSize: 200, status: 'APPROVED' }, 'query'),
      ),
    );
    const steps: NextStep[] = [];
    for (const e of page.items.filter((x) => x.status === 'APPROVED')) {
      const program = await this.tx.read((em) => this.programs.get(em, actor, e.programId));
      steps.push({
        kind: 'confirm',
        title: '请确认报到',
        detail: `「${program.title}」审核已通过，请确认参加；不能参加请在「我的培训」中放弃。`,
        action: { path: `/app/me/programs/${e.id}/confirm`, label: '确认报到' },
        tone: 'primary',
      });
    }
    return steps;
  }

  /** The 训后评价 forms of finished cohorts the teacher has not answered yet. */
  async formsToAnswer(actor: Actor): Promise<FormToAnswer[]> {
    return (await this.surveys.openFor(actor)).map((s) => ({
      title: `「${s.programTitle}」${s.cohortName}`,
      href: `/app/me/surveys/${s.cohortId}`,
    }));
  }

  /** Leave requests decided in the last week (the answer the teacher waits for), and those still waiting. */
  private async leaveNews(actor: Actor, now: Date): Promise<NextStep[]> {
    const page = await this.leave.list(actor, await validateInput(LeaveQuery, { pageSize: 20 }, 'query'));
    const since = now.getTime() - LEAVE_NEWS_DAYS * 86_400_000;
    return page.items
      .filter((l) => l.status === 'PENDING' || (l.decidedAt && new Date(l.decidedAt).getTime() >= since))
      .map((l) => ({
        kind: 'leave' as const,
        title: `请假${l.statusLabel}`,
        detail: `${l.sessions.map((s) => s.title).join('、')}${l.decidedAt ? `（${formatDateTime(l.decidedAt)} 审批）` : ''}`,
        href: '/app/me/leave',
        tone: l.status === 'APPROVED' ? 'success' : l.status === 'PENDING' ? 'info' : 'warning',
      }));
  }

  private async unreadNotices(actor: Actor): Promise<NextStep[]> {
    const page = await this.announcements.list(actor, await validateInput(AnnouncementQuery, { pageSize: 5 }, 'query'));
    return page.items
      .filter((a) => a.addressed && a.readAt === null)
      .map((a) => ({
        kind: 'notice' as const,
        title: '未读通知',
        detail: `${a.from}：${a.title}`,
        href: `/app/announcements/${a.id}`,
        tone: 'info' as const,
      }));
  }

  /** 学时: this year against 48, the current five-year cycle against 360 (the teacher file's sums). */
  private async credits(actor: Actor): Promise<CreditProgress[]> {
    if (!actor.teacherId) return [];
    const file = await this.files.file(actor, actor.teacherId);
    const year = file.years.find((y) => y.inProgress);
    const cycle = file.cycles.find((c) => c.inProgress);
    const progress = (label: string, value: number, required: number): CreditProgress => ({
      label,
      value: Math.min(value, required),
      hours: hoursText(value),
      required,
      percent: Math.min(100, Math.round((value * 100) / required)),
      met: value >= required,
      shortfall: hoursText(Math.max(0, required - value)),
    });
    return [
      progress(`${year?.year ?? ''}年学时`, year?.totalHours ?? 0, YEARLY_REQUIREMENT),
      progress(
        `${cycle ? `${cycle.startYear}–${cycle.endYear}` : ''}周期学时`,
        cycle?.totalHours ?? 0,
        CYCLE_REQUIREMENT,
      ),
    ];
  }
}
