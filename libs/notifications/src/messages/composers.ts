import { CompletionEventPayload, CompletionEvents, LeaveEventPayload, LeaveEvents } from '@shipei/attendance';
import { CertificateEventPayload, CertificateEvents } from '@shipei/certificates';
import { RecordedEvent } from '@shipei/core';
import { EnrolmentEventPayload, EnrolmentEvents } from '@shipei/enrolment';
import { ProgramEvents, ProgramOpenedPayload, TrainersAssignedPayload } from '@shipei/programs';
import { PlacementEventPayload, PlacementEvents } from '@shipei/talent-support';
import { EntityManager } from 'typeorm';
import { AnnouncementEvents } from '../announcements/announcement.events';
import { composeAnnouncement } from '../announcements/announcement.composer';
import { cnDate, cnDateTime, Message, Recipient, short } from './message';
import { countyRecipients, teacherRecipient, trainerRecipients, userRecipients } from './recipients';

/** Turns one domain event into the messages it causes (spec §13, "who hears what"). */
export type Composer = (em: EntityManager, event: RecordedEvent<any>) => Promise<Message[]>;

interface ProgramRow {
  title: string;
  startDate: string | null;
  endDate: string | null;
  nominationDeadline: Date | null;
}
interface CohortRow {
  name: string;
  venue: string;
  startDate: string;
  endDate: string;
  programId: number;
}

const one = async <T>(em: EntityManager, sql: string, params: unknown[]): Promise<T> =>
  (await em.query(sql, params))[0];
const program = (em: EntityManager, id: number) =>
  one<ProgramRow>(em, 'SELECT title, startDate, endDate, nominationDeadline FROM program WHERE id = ?', [id]);
const cohort = (em: EntityManager, id: number) =>
  one<CohortRow>(em, 'SELECT name, venue, startDate, endDate, programId FROM cohort WHERE id = ?', [id]);
const teacherName = async (em: EntityManager, id: number) =>
  (await one<{ name: string }>(em, 'SELECT name FROM teacher WHERE id = ?', [id]))?.name ?? '';
const firstSession = async (em: EntityManager, cohortId: number) =>
  (
    await one<{ at: Date | null }>(em, 'SELECT MIN(startsAt) AS at FROM training_session WHERE cohortId = ?', [
      cohortId,
    ])
  )?.at ?? null;

const only = (r: Recipient | null): Recipient[] => (r ? [r] : []);
const msg = (event: RecordedEvent<object>, m: Omit<Message, 'dedupeKey' | 'type'>): Message => ({
  ...m,
  type: event.type,
  dedupeKey: `e:${event.id}`,
});

const dates = (p: { startDate: string | null; endDate: string | null }) =>
  `${cnDate(p.startDate)}至${cnDate(p.endDate)}`;

type EnrolmentEvent = RecordedEvent<EnrolmentEventPayload>;

async function toTeacher(
  em: EntityManager,
  e: EnrolmentEvent,
  build: (p: ProgramRow) => Promise<Omit<Message, 'dedupeKey' | 'type' | 'recipients'>>,
): Promise<Message[]> {
  const p = await program(em, e.payload.programId);
  return [msg(e, { ...(await build(p)), recipients: only(await teacherRecipient(em, e.payload.teacherId)) })];
}

export const COMPOSERS: Record<string, Composer> = {
  [AnnouncementEvents.POSTED]: composeAnnouncement,

  [EnrolmentEvents.APPROVED]: (em, e: EnrolmentEvent) =>
    toTeacher(em, e, async (p) => ({
      title: `「${p.title}」审核通过`,
      body: `您参加「${p.title}」（${dates(p)}）的推荐已通过市教育局审核，请在培训开始前登录平台确认报到。`,
      link: '/app/me/programs',
      smsParams: { program: short(p.title), start: cnDate(p.startDate) },
    })),

  [EnrolmentEvents.REJECTED]: async (em, e: EnrolmentEvent) => {
    const reason =
      (await one<{ reason: string | null }>(em, 'SELECT reason FROM enrolment WHERE id = ?', [e.entityId]))?.reason ||
      '未说明';
    return toTeacher(em, e, async (p) => ({
      title: `「${p.title}」推荐未通过`,
      body: `您参加「${p.title}」的推荐未通过审核。原因：${reason}。如有疑问请联系所在县区教体局。`,
      link: '/app/me/programs',
      smsParams: { program: short(p.title), reason: short(reason) },
    }));
  },

  [EnrolmentEvents.PROMOTED]: async (em, e: EnrolmentEvent) => {
    const p = await program(em, e.payload.programId);
    const name = await teacherName(em, e.payload.teacherId);
    return [
      msg(e, {
        title: `「${p.title}」候补递补`,
        body: `名额空出，您已由候补递补为「${p.title}」（${dates(p)}）的推荐人选，等待市教育局审核。`,
        link: '/app/me/programs',
        smsParams: { program: short(p.title) },
        recipients: only(await teacherRecipient(em, e.payload.teacherId)),
      }),
      {
        ...msg(e, {
          title: `「${p.title}」候补已递补`,
          body: `「${p.title}」空出名额，候补教师${name}已自动递补为推荐人选。`,
          link: `/app/programs/${e.payload.programId}/enrolments`,
          smsParams: { program: short(p.title) },
          recipients: await countyRecipients(em, e.payload.countyId),
        }),
        type: 'enrolment.promoted-county',
      },
    ];
  },

  [EnrolmentEvents.ASSIGNED]: async (em, e: EnrolmentEvent) => {
    const [{ cohortId }] = await em.query('SELECT cohortId FROM enrolment WHERE id = ?', [e.entityId]);
    if (!cohortId) return [];
    const c = await cohort(em, Number(cohortId));
    const first = await firstSession(em, Number(cohortId));
    return toTeacher(em, e, async (p) => ({
      title: `「${p.title}」分班通知`,
      body:
        `您已分入「${p.title}」${c.name}，培训时间${dates(c)}，地点：${c.venue || '另行通知'}，` +
        `首次课程${cnDateTime(first)}。报到须知：请携带身份证按时到达，首次课程开始前扫码签到。`,
      link: '/app/me',
      smsParams: {
        program: short(p.title),
        cohort: short(c.name),
        venue: short(c.venue || '另行通知'),
        start: cnDate(c.startDate),
      },
    }));
  },

  [EnrolmentEvents.DECLINED]: async (em, e: EnrolmentEvent) => {
    const p = await program(em, e.payload.programId);
    const name = await teacherName(em, e.payload.teacherId);
    return [
      msg(e, {
        title: `${name}放弃参加「${p.title}」`,
        body: `${name}已放弃参加「${p.title}」，空出的名额可另行推荐本县区其他教师（有候补的已自动递补）。`,
        link: `/app/programs/${e.payload.programId}/nominate`,
        smsParams: { program: short(p.title) },
        recipients: await countyRecipients(em, e.payload.countyId),
      }),
    ];
  },

  [EnrolmentEvents.WITHDRAWN]: (em, e: EnrolmentEvent) =>
    toTeacher(em, e, async (p) => ({
      title: `「${p.title}」推荐已撤回`,
      body: `所在县区教体局已撤回您参加「${p.title}」的推荐。如有疑问请联系县区教体局。`,
      link: '/app/me/programs',
      smsParams: { program: short(p.title) },
    })),

  [ProgramEvents.OPENED]: async (em, e: RecordedEvent<ProgramOpenedPayload>) => {
    const p = await program(em, e.payload.programId);
    const quotas: { countyId: number; seats: number }[] = await em.query(
      'SELECT countyId, seats FROM county_quota WHERE programId = ? AND seats > 0 ORDER BY countyId',
      [e.payload.programId],
    );
    const deadline = p.nominationDeadline ? `，推荐截止时间${cnDateTime(p.nominationDeadline)}` : '';
    const out: Message[] = [];
    for (const q of quotas)
      out.push({
        ...msg(e, {
          title: `「${p.title}」开始推荐`,
          body: `「${p.title}」（${dates(p)}）已开始推荐，贵县区名额${q.seats}人${deadline}。请及时推荐符合条件的教师。`,
          link: `/app/programs/${e.payload.programId}/nominate`,
          smsParams: { program: short(p.title), seats: String(q.seats) },
          recipients: await countyRecipients(em, Number(q.countyId)),
        }),
      });
    return out;
  },

  [ProgramEvents.TRAINERS_ASSIGNED]: async (em, e: RecordedEvent<TrainersAssignedPayload>) => {
    const p = await program(em, e.payload.programId);
    const c = await cohort(em, e.payload.cohortId);
    return [
      msg(e, {
        title: `您已被安排到「${p.title}」${c.name}`,
        body: `您已被安排为「${p.title}」${c.name}的培训教师，培训时间${dates(c)}，地点：${c.venue || '另行通知'}。`,
        link: '/app/trainer',
        smsParams: { program: short(p.title), cohort: short(c.name) },
        recipients: await userRecipients(em, e.payload.trainerIds),
      }),
    ];
  },

  [LeaveEvents.REQUESTED]: async (em, e: RecordedEvent<LeaveEventPayload>) => {
    const c = await cohort(em, e.payload.cohortId);
    const name = await teacherName(em, e.payload.teacherId);
    return [
      msg(e, {
        title: `${c.name}有请假申请待审批`,
        body: `${c.name}学员${name}提交了请假申请，等待您审批。`,
        link: '/app/trainer/leave',
        smsParams: { cohort: short(c.name) },
        recipients: await trainerRecipients(em, e.payload.cohortId),
      }),
    ];
  },

  [LeaveEvents.DECIDED]: async (em, e: RecordedEvent<LeaveEventPayload>) => {
    const c = await cohort(em, e.payload.cohortId);
    const approved = e.payload.status === 'APPROVED';
    return [
      msg(e, {
        title: approved ? '请假已批准' : '请假未获批准',
        body: approved
          ? `您在${c.name}的请假申请已批准，相应课程记为请假。`
          : `您在${c.name}的请假申请未获批准，请按时参加培训。`,
        link: '/app/me/leave',
        smsParams: { cohort: short(c.name), result: approved ? '已批准' : '未获批准' },
        recipients: only(await teacherRecipient(em, e.payload.teacherId)),
      }),
    ];
  },

  [CompletionEvents.DECIDED]: async (em, e: RecordedEvent<CompletionEventPayload>) => {
    const p = await program(em, e.payload.programId);
    const c = await cohort(em, e.payload.cohortId);
    const r = await one<{ attendedHours: string; attendanceRate: string; creditHours: string }>(
      em,
      'SELECT attendedHours, attendanceRate, creditHours FROM enrolment WHERE id = ?',
      [e.entityId],
    );
    const threshold = await one<{ t: string }>(em, 'SELECT attendanceThreshold AS t FROM program WHERE id = ?', [
      e.payload.programId,
    ]);
    const rate = percent(r?.attendanceRate);
    const done = e.payload.status === 'COMPLETED';
    return [
      msg(e, {
        title: done ? `「${p.title}」已结业` : `「${p.title}」未达到结业要求`,
        body: done
          ? `您参加的「${p.title}」${c.name}（${dates(c)}）已结业：出勤${hours(r?.attendedHours)}学时，出勤率${rate}，` +
            `计入继续教育${hours(r?.creditHours)}学时。结业证书发放后将另行通知。`
          : `您参加的「${p.title}」${c.name}（${dates(c)}）出勤率${rate}，未达到结业要求（${percent(threshold?.t)}），` +
            '本次培训不计学时。如对考勤记录有疑问，请联系培训教师。',
        link: '/app/me/programs',
        smsParams: { program: short(p.title), result: done ? '已结业' : '未达到结业要求', rate },
        recipients: only(await teacherRecipient(em, e.payload.teacherId)),
      }),
    ];
  },

  [CertificateEvents.ISSUED]: async (em, e: RecordedEvent<CertificateEventPayload>) => {
    const cert = await one<{ number: string; programTitle: string; startDate: string; endDate: string }>(
      em,
      'SELECT number, programTitle, startDate, endDate FROM certificate WHERE id = ?',
      [e.entityId],
    );
    const service = e.payload.kind === 'SERVICE';
    const what = service ? '支教服务证明' : '培训证书';
    return [
      msg(e, {
        title: `「${cert.programTitle}」${what}已发放`,
        body:
          `您参加「${cert.programTitle}」（${dates(cert)}）的${what}已发放，证书编号${cert.number}。` +
          '可登录平台查看、下载电子证书，扫描证书上的二维码可查验真伪。',
        link: '/app/me/certificates',
        smsParams: { program: short(cert.programTitle), number: cert.number },
        recipients: only(await teacherRecipient(em, e.payload.teacherId)),
      }),
    ];
  },

  [PlacementEvents.DECIDED]: async (em, e: RecordedEvent<PlacementEventPayload>) => {
    const row = await one<{
      title: string;
      termStart: string;
      termEnd: string;
      school: string | null;
      reason: string | null;
    }>(
      em,
      'SELECT s.title, s.termStart, s.termEnd, o.name AS school, p.rejectionReason AS reason FROM placement p JOIN scheme s ON s.id = p.schemeId LEFT JOIN organisation o ON o.id = p.receivingSchoolId WHERE p.id = ?',
      [e.entityId],
    );
    const name = await teacherName(em, e.payload.teacherId);
    const term = `${cnDate(row.termStart)}至${cnDate(row.termEnd)}`;
    const school = row.school ?? '受援学校';
    const approved = e.payload.status === 'APPROVED';
    const reason = row.reason || '未说明';
    return [
      msg(e, {
        title: approved ? `「${row.title}」选派已批准` : `「${row.title}」选派未获批准`,
        body: approved
          ? `您已被批准参加「${row.title}」，到${school}支教，服务期${term}。请按时到岗，到岗后由县区教体局登记。`
          : `您参加「${row.title}」的选派推荐未获市教育局批准。原因：${reason}。如有疑问请联系所在县区教体局。`,
        link: '/app/me',
        // One template serves both outcomes, so both carry the same variables (Tencent's are positional).
        smsParams: {
          scheme: short(row.title),
          result: approved ? '已批准' : '未获批准',
          detail: short(approved ? `${school}，${cnDate(row.termStart)}起` : `原因：${reason}`),
        },
        recipients: only(await teacherRecipient(em, e.payload.teacherId)),
      }),
      {
        ...msg(e, {
          title: approved ? `${name}的选派已批准` : `${name}的选派未获批准`,
          body: approved
            ? `贵县区推荐的${name}参加「${row.title}」已获批准，到${school}支教，服务期${term}。请督促按时到岗并登记到岗日期。`
            : `贵县区推荐的${name}参加「${row.title}」未获批准（原因：${reason}），名额已退回，可另行推荐。`,
          link: `/app/placements/${e.entityId}`,
          smsParams: { scheme: short(row.title), teacher: short(name, 10) },
          recipients: await countyRecipients(em, e.payload.countyId),
        }),
        type: 'placement.decided-county',
      },
    ];
  },
};

/** 0.855 → 85.5% */
const percent = (v: string | number | null | undefined) => `${Math.floor(Number(v ?? 0) * 1000) / 10}%`;
/** '12.00' → 12, '7.50' → 7.5 */
const hours = (v: string | number | null | undefined) => String(Number(v ?? 0));
