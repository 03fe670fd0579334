import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { CERTIFICATE_STATUS_LABELS, CertificateStatus } from '@shipei/certificates';
import { AccessPolicy, Actor, AppConfig, Clock, loadCjkFonts, shanghaiDate } from '@shipei/core';
import { ENROLMENT_STATUS_LABELS, EnrolmentStatus } from '@shipei/enrolment';
import { maskIdNumber, Teacher, TEACHER_KIND } from '@shipei/people';
import { PROGRAM_KIND_LABELS, ProgramKind } from '@shipei/programs';
import {
  PLACEMENT_STATUS_LABELS,
  PlacementStatus,
  ruralService,
  SCHEME_KIND_LABELS,
  SchemeKind,
} from '@shipei/talent-support';
import { EntityManager } from 'typeorm';
import {
  CreditItem,
  CYCLE_REQUIREMENT,
  CYCLE_YEARS,
  REQUIREMENT_NOTE,
  summariseCredits,
  YEARLY_REQUIREMENT,
} from '../credits/credit-rules';
import { attachment, dateText, decimalValue, Download, PDF_MIME, round1, XLSX_MIME } from '../shared/files';
import {
  FileCertificateDto,
  FileScoreDto,
  FileExternalCreditDto,
  FilePlacementDto,
  FileTrainingDto,
  TeacherFileDto,
} from './dto/teacher-file.dto';
import { teacherFilePdf, teacherFileWorkbook } from './teacher-file-documents';

type Raw = Record<string, unknown>;

const RESULT_STATUSES: EnrolmentStatus[] = ['COMPLETED', 'NOT_COMPLETED'];

/**
 * The file's statements once the teacher has passed the access check, all by teacher id. They are
 * written out once rather than built per request: the file is read often and these queries are
 * cheap (indexed by teacher), so building them would cost more than running them, and a constant
 * text lets the driver reuse its prepared statement. Plain identifiers and `?` work on both engines.
 */
export const FILE_SQL = {
  enrolments:
    'SELECT e.id AS id, e.programId AS programId, e.cohortId AS cohortId, e.status AS status, e.attendedHours AS attendedHours, e.attendanceRate AS attendanceRate, e.creditHours AS creditHours, ' +
    'p.title AS programTitle, p.kind AS programKind, p.year AS programYear, p.startDate AS programStart, p.endDate AS programEnd, c.name AS cohortName, c.startDate AS cohortStart, c.endDate AS cohortEnd ' +
    'FROM enrolment e INNER JOIN program p ON p.id = e.programId LEFT JOIN cohort c ON c.id = e.cohortId WHERE e.teacherId = ?',
  certificates:
    'SELECT x.id AS id, x.number AS number, x.status AS status, x.kind AS kind, x.sourceType AS sourceType, x.sourceId AS sourceId, x.issueDate AS issueDate FROM certificate x WHERE x.teacherId = ? ORDER BY x.id',
  placements:
    'SELECT pl.id AS id, pl.schemeId AS schemeId, pl.status AS status, pl.arrivalDate AS arrivalDate, pl.endDate AS endDate, pl.assessment AS assessment, s.title AS schemeTitle, s.kind AS schemeKind, s.year AS schemeYear, ' +
    's.termStart AS termStart, s.termEnd AS termEnd, rs.name AS receivingSchoolName, rc.name AS receivingCountyName FROM placement pl INNER JOIN scheme s ON s.id = pl.schemeId ' +
    'INNER JOIN organisation rs ON rs.id = pl.receivingSchoolId LEFT JOIN organisation rc ON rc.id = rs.countyId WHERE pl.teacherId = ?',
  organisations: 'SELECT o.id AS id, o.name AS name FROM organisation o WHERE o.id IN (?, ?)',
  scores:
    'SELECT s.enrolmentId AS enrolmentId, i.name AS name, s.score AS score, i.maxScore AS maxScore, i.passMark AS passMark FROM assessment_score s ' +
    'INNER JOIN enrolment se ON se.id = s.enrolmentId INNER JOIN assessment_item i ON i.id = s.itemId WHERE se.teacherId = ? ORDER BY s.enrolmentId, i.position, i.id',
  externalCredits:
    'SELECT xc.id AS id, xc.programName AS programName, xc.organiser AS organiser, xc.hours AS hours, xc.creditDate AS creditDate, xc.certificateNumber AS certificateNumber FROM external_credit xc WHERE xc.teacherId = ? ORDER BY xc.creditDate, xc.id',
};

function certificateDto(r: Raw): FileCertificateDto {
  const status = String(r.status) as CertificateStatus;
  return {
    id: Number(r.id),
    number: String(r.number),
    status,
    statusLabel: CERTIFICATE_STATUS_LABELS[status] ?? status,
    kind: String(r.kind),
    issueDate: dateText(r.issueDate) ?? '',
  };
}

/**
 * 一人一档 (spec §8): everything the system knows of one teacher's training — every program and
 * cohort with status, attendance, result, credit hours and certificates; talent-support placements;
 * credits earned outside the system — with totals per calendar year and five-year cycle against the
 * Shandong requirement. Visible to the teacher themself, their county and the city (the `teacher`
 * access kind); anyone else gets 404.
 *
 * Internal credits count in the year their cohort ended; external credits in the year of their date.
 */
@Injectable()
export class TeacherFileService {
  constructor(
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly access: AccessPolicy,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async file(actor: Actor, teacherId: number): Promise<TeacherFileDto> {
    const em = this.em;
    // The access check is AccessPolicy.load's compiled statement; the school and county names come
    // with the file's other statements, in parallel.
    const t = await this.access.load<Teacher>(em, actor, TEACHER_KIND, teacherId);
    const [enrolments, certificates, placements, external, orgs, scores] = await Promise.all([
      em.query<Raw[]>(FILE_SQL.enrolments, [t.id]),
      em.query<Raw[]>(FILE_SQL.certificates, [t.id]),
      em.query<Raw[]>(FILE_SQL.placements, [t.id]),
      em.query<Raw[]>(FILE_SQL.externalCredits, [t.id]),
      em.query<Raw[]>(FILE_SQL.organisations, [t.schoolId, t.countyId]),
      em.query<Raw[]>(FILE_SQL.scores, [t.id]),
    ]);
    const scoresOf = (enrolmentId: number): FileScoreDto[] =>
      scores
        .filter((r) => Number(r.enrolmentId) === enrolmentId)
        .map((r) => ({
          name: String(r.name),
          score: Number(r.score),
          maxScore: Number(r.maxScore),
          passMark: Number(r.passMark),
          passed: Math.round(Number(r.score) * 100) >= Math.round(Number(r.passMark) * 100),
        }));
    const orgName = (orgId: number) => String(orgs.find((o) => Number(o.id) === orgId)?.name ?? '');
    const teacher: Raw = { ...t, schoolName: orgName(t.schoolId), countyName: orgName(t.countyId) };
    const id = t.id;

    const certsOf = (sourceType: string, sourceId: number) =>
      certificates.filter((c) => c.sourceType === sourceType && Number(c.sourceId) === sourceId).map(certificateDto);

    const trainings: (FileTrainingDto & { sortKey: string })[] = enrolments.map((r) => {
      const status = String(r.status) as EnrolmentStatus;
      const kind = String(r.programKind) as ProgramKind;
      const startDate = dateText(r.cohortStart) ?? dateText(r.programStart);
      const endDate = dateText(r.cohortEnd) ?? dateText(r.programEnd);
      const result = RESULT_STATUSES.includes(status) ? (status as 'COMPLETED' | 'NOT_COMPLETED') : null;
      const credit = status === 'COMPLETED' ? round1(decimalValue(r.creditHours) ?? 0) : 0;
      return {
        enrolmentId: Number(r.id),
        programId: Number(r.programId),
        programTitle: String(r.programTitle),
        programKind: kind,
        programKindLabel: PROGRAM_KIND_LABELS[kind] ?? kind,
        programYear: Number(r.programYear),
        cohortId: r.cohortId == null ? null : Number(r.cohortId),
        cohortName: r.cohortName == null ? null : String(r.cohortName),
        startDate,
        endDate,
        status,
        statusLabel: ENROLMENT_STATUS_LABELS[status] ?? status,
        attendedHours: decimalValue(r.attendedHours),
        attendanceRate: decimalValue(r.attendanceRate),
        result,
        resultLabel: result ? ENROLMENT_STATUS_LABELS[result] : null,
        creditHours: credit,
        creditYear: status === 'COMPLETED' && endDate ? Number(endDate.slice(0, 4)) : null,
        certificates: certsOf('ENROLMENT', Number(r.id)),
        scores: scoresOf(Number(r.id)),
        sortKey: `${startDate ?? `${r.programYear}-01-01`}#${String(r.id).padStart(12, '0')}`,
      };
    });
    trainings.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));

    const today = shanghaiDate(this.clock.now());
    const placementDtos: FilePlacementDto[] = placements
      .map((r) => {
        const status = String(r.status) as PlacementStatus;
        const kind = String(r.schemeKind) as SchemeKind;
        const rural = ruralService(
          {
            status,
            arrivalDate: dateText(r.arrivalDate),
            endDate: dateText(r.endDate),
            assessment: r.assessment == null ? null : String(r.assessment),
          },
          dateText(r.termEnd) ?? '',
          today,
        );
        return {
          id: Number(r.id),
          schemeId: Number(r.schemeId),
          schemeTitle: String(r.schemeTitle),
          schemeKind: kind,
          schemeKindLabel: SCHEME_KIND_LABELS[kind] ?? kind,
          schemeYear: Number(r.schemeYear),
          termStart: dateText(r.termStart) ?? '',
          termEnd: dateText(r.termEnd) ?? '',
          receivingSchoolName: String(r.receivingSchoolName),
          status,
          statusLabel: PLACEMENT_STATUS_LABELS[status] ?? status,
          arrivalDate: dateText(r.arrivalDate),
          endDate: dateText(r.endDate),
          assessment: r.assessment == null ? null : String(r.assessment),
          receivingCountyName: r.receivingCountyName == null ? '' : String(r.receivingCountyName),
          daysServed: rural.daysServed,
          countsAsRuralService: rural.counts,
          ruralServiceNote: rural.note,
          certificates: certsOf('PLACEMENT', Number(r.id)),
        };
      })
      .sort((a, b) => (a.termStart < b.termStart ? -1 : a.termStart > b.termStart ? 1 : a.id - b.id));

    const externalCredits: FileExternalCreditDto[] = external.map((r) => ({
      id: Number(r.id),
      programName: String(r.programName),
      organiser: String(r.organiser),
      hours: round1(decimalValue(r.hours) ?? 0),
      date: dateText(r.creditDate) ?? '',
      certificateNumber: r.certificateNumber == null ? null : String(r.certificateNumber),
      external: true as const,
    }));

    const items: CreditItem[] = [
      ...trainings
        .filter((t) => t.creditYear !== null && t.creditHours > 0)
        .map((t) => ({ year: t.creditYear!, hours: t.creditHours, external: false })),
      ...externalCredits.map((x) => ({ year: Number(x.date.slice(0, 4)), hours: x.hours, external: true })),
    ];
    const now = this.clock.now();
    const { years, cycles } = summariseCredits(
      items,
      Number(shanghaiDate(now).slice(0, 4)),
      this.config.creditCycleStartYear,
    );

    return {
      teacher: {
        id,
        name: String(teacher.name),
        idNumber: maskIdNumber(String(teacher.idNumber)),
        gender: teacher.gender === 'F' ? 'F' : 'M',
        schoolId: Number(teacher.schoolId),
        schoolName: String(teacher.schoolName),
        countyId: Number(teacher.countyId),
        countyName: String(teacher.countyName),
        stage: (teacher.stage as string | null) ?? null,
        subject: (teacher.subject as string | null) ?? null,
        title: (teacher.title as string | null) ?? null,
      },
      requirement: {
        yearly: YEARLY_REQUIREMENT,
        cycle: CYCLE_REQUIREMENT,
        cycleYears: CYCLE_YEARS,
        cycleStartYear: this.config.creditCycleStartYear,
        note: REQUIREMENT_NOTE,
      },
      trainings: trainings.map(({ sortKey: _sortKey, ...t }) => t),
      placements: placementDtos,
      externalCredits,
      years,
      cycles,
      generatedAt: now.toISOString(),
    };
  }

  /** The file as .xlsx (same scope as {@link file}). */
  async workbook(actor: Actor, teacherId: number): Promise<Download<Buffer>> {
    const f = await this.file(actor, teacherId);
    const day = f.generatedAt.slice(0, 10).replace(/-/g, '');
    return {
      body: await teacherFileWorkbook(f),
      type: XLSX_MIME,
      disposition: attachment(`teacher-file-${f.teacher.id}-${day}.xlsx`, `教师培训档案-${f.teacher.name}-${day}.xlsx`),
    };
  }

  /** The file as PDF (same scope as {@link file}). */
  async pdf(actor: Actor, teacherId: number): Promise<Download<Buffer>> {
    const f = await this.file(actor, teacherId);
    const day = f.generatedAt.slice(0, 10).replace(/-/g, '');
    return {
      body: await teacherFilePdf(f, await loadCjkFonts()),
      type: PDF_MIME,
      disposition: attachment(`teacher-file-${f.teacher.id}-${day}.pdf`, `教师培训档案-${f.teacher.name}-${day}.pdf`),
    };
  }
}
