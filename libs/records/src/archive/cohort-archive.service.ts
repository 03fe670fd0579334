import { PassThrough, Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import {
  AttendanceAccess,
  AttendanceOutputsService,
  cohortRoster,
  cohortSessions,
  LEAVE_REQUEST_KIND,
  LEAVE_STATUS_LABELS,
  LEAVE_TYPE_LABELS,
  LeaveRequest,
  LeaveRequestSession,
  Trainee,
  itemsOf,
  ScoreLine,
  scoreLines,
  scoreSummary,
} from '@shipei/attendance';
import { User } from '@shipei/auth';
import { Certificate, CERTIFICATE_STATUS_LABELS, CertificatePrinter } from '@shipei/certificates';
import { AccessPolicy, Actor, Clock, shanghaiDate, shanghaiDateTime, shanghaiTime, WorkerPool } from '@shipei/core';
import { Enrolment, ENROLMENT_STATUS_LABELS, EnrolmentStatus, RosterService } from '@shipei/enrolment';
import { maskIdNumber, Organisation, Teacher } from '@shipei/people';
import { Cohort, CohortTrainer, Program, TrainingSession } from '@shipei/programs';
import { ZipArchive } from 'archiver';
import { EntityManager, In } from 'typeorm';
import { RecordsErrors } from '../records.errors';
import { attachment, chunks, Download, safeFileName, ZIP_MIME } from '../shared/files';
import { ArchiveHeader } from './archive-documents';
import { ARCHIVE_WORKBOOK_TASK, ArchiveWorkbookJob, NORMALISE_XLSX_TASK } from './archive-workbook.task';

/** One file of the archive: its path inside the ZIP and how to make it (bytes, or a stream it fills). */
interface Part {
  name: string;
  describe: string;
  make: () => Promise<Buffer> | { stream: Readable; done: Promise<unknown> };
}

const hundredths = (h: number | string) => Math.round(Number(h) * 100);
const bytes = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * 一期一档 (spec §8): a finished cohort's archive as one ZIP — 说明, roster, schedule, attendance
 * matrix, every session's sign-in sheet, leave records, completion results, certificate register
 * and the certificates — for the program's owner and the cohort's trainers (404 for who may not see
 * the cohort, 403 for who may see but does not run it, as for attendance).
 *
 * The ZIP is streamed with archiver: parts are made one after another and each is handed to the
 * archive only when the previous one has been written, so memory holds one part at a time whatever
 * the cohort's size (the certificates stream page by page). The same data gives the same archive:
 * fixed names and order, every entry dated the cohort's end date, workbooks normalised (no write
 * time inside), PDFs dated from their data.
 *
 * The rows are read here; the workbooks, sign-in sheets and certificates are drawn in worker threads
 * (spec §16), so a cohort's archive never holds up the check-ins answered by the same process.
 */
@Injectable()
export class CohortArchiveService {
  private readonly logger = new Logger('CohortArchive');

  constructor(
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly access: AccessPolicy,
    private readonly gate: AttendanceAccess,
    private readonly outputs: AttendanceOutputsService,
    private readonly rosters: RosterService,
    private readonly printer: CertificatePrinter,
    private readonly clock: Clock,
    private readonly workers: WorkerPool,
  ) {}

  /** One of the archive's own workbooks, built and normalised in a worker. */
  private async workbook(job: ArchiveWorkbookJob): Promise<Buffer> {
    return bytes(await this.workers.run<Uint8Array>(ARCHIVE_WORKBOOK_TASK, job));
  }

  async archive(actor: Actor, cohortId: number): Promise<Download<Readable>> {
    const { cohort, program } = await this.gate.cohort(this.em, actor, cohortId);
    if (program.status !== 'FINISHED' && cohort.endDate >= shanghaiDate(this.clock.now()))
      throw RecordsErrors.cohortNotFinished(cohort.endDate);
    const parts = await this.plan(actor, cohort, program);
    const date = new Date(`${cohort.endDate}T00:00:00Z`);
    // The first part a worker thread makes is made before the download begins, so a worker that fails
    // then is a clean 503 (WORKER_FAILED), not a cut-off ZIP.
    const first = parts.findIndex((p) => p.name.endsWith('.xlsx'));
    if (first >= 0) {
      const made = (await parts[first].make()) as Buffer;
      parts[first] = { ...parts[first], make: async () => made };
    }

    const zip = new ZipArchive({ zlib: { level: 6 } });
    this.fill(zip, parts, date).catch((err: unknown) => {
      this.logger.error({ err: { message: (err as Error).message }, cohortId: cohort.id }, 'Cohort archive failed');
      zip.destroy(err as Error);
    });
    const base = `${program.title}-${cohort.name}-一期一档`;
    return { body: zip, type: ZIP_MIME, disposition: attachment(`cohort-${cohort.id}-archive.zip`, `${base}.zip`) };
  }

  /** Adds the parts in order, each once the previous entry is written (backpressure from the reader). */
  private async fill(zip: ZipArchive, parts: Part[], date: Date): Promise<void> {
    for (const part of parts) {
      const made = await part.make();
      // PDFs and workbooks are compressed already: stored as they are (deflating them again costs CPU for nothing).
      const store = !part.name.endsWith('.txt');
      if (Buffer.isBuffer(made)) await this.add(zip, made, part.name, date, store);
      else await Promise.all([this.add(zip, made.stream, part.name, date, store), made.done]);
    }
    await zip.finalize();
  }

  private add(zip: ZipArchive, source: Buffer | Readable, name: string, date: Date, store: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const onEntry = (entry: { name: string }) => {
        if (entry.name !== name) return;
        done();
        resolve();
      };
      const onError = (err: Error) => {
        done();
        reject(err);
      };
      const done = () => {
        zip.off('entry', onEntry);
        zip.off('error', onError);
      };
      zip.on('entry', onEntry);
      zip.on('error', onError);
      zip.append(source, { name, date, store });
    });
  }

  /** What goes into the archive, in order, with stable names. Reads what the names need; parts are made later. */
  private async plan(actor: Actor, cohort: Cohort, program: Program): Promise<Part[]> {
    const em = this.em;
    const date = new Date(`${cohort.endDate}T00:00:00Z`);
    const header: ArchiveHeader = { programTitle: program.title, cohortName: cohort.name, date };
    const root = safeFileName(`${program.title}-${cohort.name}-一期一档`, 100);
    const sessions = await cohortSessions(em, cohort.id);
    const certificates = await this.printer.cohortCertificates(cohort.id);
    const digits = Math.max(2, String(sessions.length).length);
    // Another module's workbook (roster, matrix), made reproducible in a worker.
    const xlsx = (make: () => Promise<Buffer>) => async () =>
      bytes(await this.workers.run<Uint8Array>(NORMALISE_XLSX_TASK, { xlsx: await make(), date }));
    let trainees: Promise<Trainee[]> | undefined; // read once for all the sign-in sheets

    const parts: Part[] = [
      {
        name: `${root}/01-花名册.xlsx`,
        describe: '花名册（身份证号、手机号脱敏）',
        make: xlsx(async () => (await this.rosters.rosterFile(em, actor, program.id, { cohortId: cohort.id })).body),
      },
      {
        name: `${root}/02-课程安排.xlsx`,
        describe: `课程安排（${sessions.length} 次课）`,
        make: () => this.schedule(header, sessions),
      },
      {
        name: `${root}/03-考勤表.xlsx`,
        describe: '考勤表（学员 × 课次）',
        make: xlsx(async () => (await this.outputs.matrix(actor, cohort.id)).body),
      },
      ...sessions.map((s, i) => ({
        name: `${root}/04-签到表/${String(i + 1).padStart(digits, '0')}-${shanghaiDate(new Date(s.startsAt))}-${safeFileName(s.title, 40)}.pdf`,
        describe: `签到表：${s.title}`,
        make: () => this.signInSheet(cohort, program, s, (trainees ??= cohortRoster(em, cohort.id))),
      })),
      {
        name: `${root}/05-请假记录.xlsx`,
        describe: '请假记录',
        make: () => this.leave(actor, header, cohort, sessions),
      },
      {
        name: `${root}/06-结业情况.xlsx`,
        describe: '结业情况（出勤学时、出勤率、结业结果、学时、证书编号）',
        make: () => this.results(header, cohort, program, sessions, certificates),
      },
      {
        name: `${root}/07-证书登记册.xlsx`,
        describe: '证书登记册（含已撤销证书）',
        make: () => this.register(header, cohort),
      },
    ];
    if (certificates.length) {
      parts.push({
        name: `${root}/08-结业证书.pdf`,
        describe: `结业证书（有效证书 ${certificates.length} 张，按编号顺序）`,
        make: () => {
          const stream = new PassThrough();
          return { stream, done: this.printer.renderTo(certificates, stream) };
        },
      });
    }
    const readme = await this.readme(cohort, program, sessions, parts, certificates.length);
    return [{ name: `${root}/00-说明.txt`, describe: '说明', make: async () => readme }, ...parts];
  }

  /**
   * A session's sign-in sheet, drawn by the attendance module's renderer exactly as its
   * `GET /sessions/:id/sign-in-sheet.pdf` does (same view), from one roster read for the whole
   * archive rather than one per session; the caller has already been checked as the cohort's manager.
   */
  private async signInSheet(
    cohort: Cohort,
    program: Program,
    session: TrainingSession,
    trainees: Promise<Trainee[]>,
  ): Promise<Buffer> {
    return this.outputs.drawSignInSheet({
      programTitle: program.title,
      cohortName: cohort.name,
      sessionTitle: session.title,
      startsAt: new Date(session.startsAt),
      endsAt: new Date(session.endsAt),
      hours: Number(session.hours),
      venue: cohort.venue,
      room: session.room,
      trainees: (await trainees).map((t) => ({ ...t, confirmed: true })),
    });
  }

  private async readme(
    cohort: Cohort,
    program: Program,
    sessions: TrainingSession[],
    parts: Part[],
    certificates: number,
  ): Promise<Buffer> {
    const trainers = await this.em
      .createQueryBuilder(CohortTrainer, 'ct')
      .innerJoin(User, 'u', 'u.id = ct.userId')
      .select('u.displayName', 'name')
      .addSelect('u.username', 'username')
      .addSelect('ct.head', 'head')
      .where('ct.cohortId = :id', { id: cohort.id })
      .orderBy('ct.head', 'DESC')
      .addOrderBy('u.id', 'ASC')
      .getRawMany<{ name: string; username: string; head: unknown }>();
    const trainees = await cohortRoster(this.em, cohort.id);
    const hours = sessions.reduce((s, x) => s + hundredths(x.hours), 0) / 100;
    const lines = [
      '一期一档（班级培训档案）',
      '',
      `培训项目：${program.title}（${program.year} 年）`,
      `班级：${cohort.name}`,
      `培训日期：${cohort.startDate} 至 ${cohort.endDate}`,
      `培训地点：${cohort.venue || '—'}`,
      `培训教师：${trainers.map((t) => `${t.name || t.username}${Number(t.head) ? '（班主任）' : ''}`).join('、') || '—'}`,
      `学员：${trainees.length} 人；课次：${sessions.length} 次，共 ${hours} 学时；有效证书：${certificates} 张`,
      '',
      '档案内容：',
      ...parts.map((p) => `  ${p.name.slice(p.name.indexOf('/') + 1)}  —  ${p.describe}`),
      '',
      '说明：身份证号、手机号已脱敏；时间为北京时间。同一班级的数据不变时，重新生成的档案内容完全相同。',
      '',
    ];
    return Buffer.from(`\ufeff${lines.join('\r\n')}`, 'utf8');
  }

  private async schedule(header: ArchiveHeader, sessions: TrainingSession[]): Promise<Buffer> {
    const users = await this.users(sessions.map((s) => s.trainerId ?? 0));
    return this.workbook({
      kind: 'schedule',
      header,
      rows: sessions.map((s) => ({
        title: s.title,
        date: shanghaiDate(new Date(s.startsAt)),
        start: shanghaiTime(new Date(s.startsAt)),
        end: shanghaiTime(new Date(s.endsAt)),
        hours: Number(s.hours),
        trainer: s.trainerId ? (users.get(s.trainerId) ?? '') : '',
        room: s.room,
      })),
    });
  }

  private async leave(
    actor: Actor,
    header: ArchiveHeader,
    cohort: Cohort,
    sessions: TrainingSession[],
  ): Promise<Buffer> {
    const em = this.em;
    const requests = await this.access
      .query<LeaveRequest>(em, actor, LEAVE_REQUEST_KIND, 'l')
      .andWhere('l.cohortId = :cohortId', { cohortId: cohort.id })
      .orderBy('l.id', 'ASC')
      .getMany();
    const links = requests.length
      ? await em.find(LeaveRequestSession, {
          where: { leaveRequestId: In(requests.map((r) => r.id)) },
          order: { id: 'ASC' },
        })
      : [];
    const sessionById = new Map(sessions.map((s) => [s.id, s]));
    const teachers = await this.teachers(requests.map((r) => r.teacherId));
    const users = await this.users(requests.map((r) => r.decidedById ?? 0));
    return this.workbook({
      kind: 'leave',
      header,
      rows: requests.map((r) => {
        const own = links
          .filter((l) => l.leaveRequestId === r.id)
          .map((l) => sessionById.get(l.sessionId))
          .filter((s): s is TrainingSession => !!s)
          .sort((a, b) => new Date(a.startsAt).getTime() - new Date(b.startsAt).getTime() || a.id - b.id);
        const t = teachers.get(r.teacherId);
        return {
          name: t?.name ?? '',
          school: t?.school ?? '',
          type: LEAVE_TYPE_LABELS[r.type] ?? r.type,
          sessions: own.map((s) => `${shanghaiDateTime(new Date(s.startsAt))} ${s.title}`).join('；'),
          reason: r.reason,
          status: LEAVE_STATUS_LABELS[r.status] ?? r.status,
          decidedBy: r.decidedById ? (users.get(r.decidedById) ?? '') : '',
          decidedAt: r.decidedAt ? shanghaiDateTime(new Date(r.decidedAt)) : '',
          note: r.decisionNote ?? '',
          askedAt: shanghaiDateTime(new Date(r.createdAt)),
        };
      }),
    });
  }

  private async results(
    header: ArchiveHeader,
    cohort: Cohort,
    program: Program,
    sessions: TrainingSession[],
    certificates: Certificate[],
  ): Promise<Buffer> {
    const trainees = await cohortRoster(this.em, cohort.id);
    const enrolments = new Map<number, Enrolment>();
    for (const part of chunks(trainees.map((t) => t.enrolmentId)))
      for (const e of await this.em.find(Enrolment, { where: { id: In(part) } })) enrolments.set(e.id, e);
    const numbers = new Map(certificates.filter((c) => c.enrolmentId).map((c) => [c.enrolmentId!, c.number]));
    const totalHours = sessions.reduce((s, x) => s + hundredths(x.hours), 0) / 100;
    const assessed = (await itemsOf(this.em, program.id)).length > 0;
    const scores = assessed
      ? await scoreLines(
          this.em,
          trainees.map((t) => t.enrolmentId),
        )
      : new Map<number, ScoreLine[]>();
    return this.workbook({
      kind: 'results',
      assessed,
      header,
      totalHours,
      threshold: Number(program.attendanceThreshold),
      rows: trainees.map((t) => {
        const e = enrolments.get(t.enrolmentId);
        const status = e?.status as EnrolmentStatus | undefined;
        const decided = status === 'COMPLETED' || status === 'NOT_COMPLETED';
        return {
          name: t.name,
          school: t.school,
          attendedHours: e?.attendedHours ?? null,
          rate: e?.attendanceRate ?? null,
          result: decided ? ENROLMENT_STATUS_LABELS[status] : '未评定',
          creditHours: decided ? (e?.creditHours ?? 0) : null,
          certificate: numbers.get(t.enrolmentId) ?? '',
          scores: scoreSummary(scores.get(t.enrolmentId)),
        };
      }),
    });
  }

  private async register(header: ArchiveHeader, cohort: Cohort): Promise<Buffer> {
    const all = await this.em.find(Certificate, {
      where: { cohortId: cohort.id },
      order: { programId: 'ASC', sequence: 'ASC' },
    });
    const ids = new Map<number, string>();
    for (const part of chunks([...new Set(all.map((c) => c.teacherId))]))
      for (const t of await this.em.find(Teacher, { where: { id: In(part) }, select: { id: true, idNumber: true } }))
        ids.set(t.id, t.idNumber);
    return this.workbook({
      kind: 'register',
      header,
      rows: all.map((c) => ({
        number: c.number,
        name: c.holderName,
        idNumber: maskIdNumber(ids.get(c.teacherId)),
        school: c.schoolName,
        startDate: c.startDate,
        endDate: c.endDate,
        creditHours: Number(c.creditHours),
        issuer: c.issuer,
        issueDate: c.issueDate,
        status: CERTIFICATE_STATUS_LABELS[c.status] ?? c.status,
        revokedAt: c.revokedAt ? shanghaiDate(new Date(c.revokedAt)) : '',
        revokeReason: c.revokeReason ?? '',
      })),
    });
  }

  private async users(ids: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    const unique = [...new Set(ids.filter((id) => id > 0))];
    for (const part of chunks(unique))
      for (const u of await this.em.find(User, {
        where: { id: In(part) },
        select: { id: true, displayName: true, username: true },
      }))
        out.set(u.id, u.displayName || u.username);
    return out;
  }

  private async teachers(ids: number[]): Promise<Map<number, { name: string; school: string }>> {
    const out = new Map<number, { name: string; school: string }>();
    const unique = [...new Set(ids)];
    for (const part of chunks(unique)) {
      const rows = await this.em
        .createQueryBuilder(Teacher, 't')
        .innerJoin(Organisation, 'o', 'o.id = t.schoolId')
        .select('t.id', 'id')
        .addSelect('t.name', 'name')
        .addSelect('o.name', 'school')
        .where('t.id IN (:...ids)', { ids: part })
        .getRawMany<{ id: number; name: string; school: string }>();
      for (const r of rows) out.set(Number(r.id), { name: String(r.name), school: String(r.school) });
    }
    return out;
  }
}
