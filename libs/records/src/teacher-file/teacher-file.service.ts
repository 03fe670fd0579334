import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Clock } from '@shipei/attendance';
import { Certificate, CERTIFICATE_STATUS_LABELS, CertificateStatus } from '@shipei/certificates';
import { AccessPolicy, Actor, AppConfig, loadCjkFonts } from '@shipei/core';
import { Enrolment, ENROLMENT_STATUS_LABELS, EnrolmentStatus } from '@shipei/enrolment';
import { maskIdNumber, Organisation, Teacher } from '@shipei/people';
import { Cohort, Program, PROGRAM_KIND_LABELS, ProgramKind } from '@shipei/programs';
import { Placement, PLACEMENT_STATUS_LABELS, PlacementStatus, Scheme, SCHEME_KIND_LABELS, SchemeKind } from '@shipei/talent-support';
import { EntityManager, In } from 'typeorm';
import { CreditItem, CYCLE_REQUIREMENT, CYCLE_YEARS, REQUIREMENT_NOTE, summariseCredits, YEARLY_REQUIREMENT } from '../credits/credit-rules';
import { ExternalCredit } from '../external-credits/external-credit.entity';
import { attachment, dateText, decimalValue, Download, PDF_MIME, round1, shanghaiDate, XLSX_MIME } from '../shared/files';
import { FileCertificateDto, FileExternalCreditDto, FilePlacementDto, FileTrainingDto, TeacherFileDto } from './dto/teacher-file.dto';
import { teacherFilePdf, teacherFileWorkbook } from './teacher-file-documents';

type Raw = Record<string, unknown>;

const RESULT_STATUSES: EnrolmentStatus[] = ['COMPLETED', 'NOT_COMPLETED'];

function certificateDto(r: Raw): FileCertificateDto {
  const status = String(r.status) as CertificateStatus;
  return { id: Number(r.id), number: String(r.number), status, statusLabel: CERTIFICATE_STATUS_LABELS[status] ?? status, kind: String(r.kind), issueDate: dateText(r.issueDate) ?? '' };
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
    const teacher = await this.access.load<Teacher>(em, actor, 'teacher', teacherId);
    const [orgs, enrolments, certificates, placements, external] = await Promise.all([
      em.find(Organisation, { where: { id: In([teacher.schoolId, teacher.countyId]) }, select: { id: true, name: true } }),
      em
        .createQueryBuilder(Enrolment, 'e')
        .innerJoin(Program, 'p', 'p.id = e.programId')
        .leftJoin(Cohort, 'c', 'c.id = e.cohortId')
        .select('e.id', 'id')
        .addSelect('e.programId', 'programId')
        .addSelect('e.cohortId', 'cohortId')
        .addSelect('e.status', 'status')
        .addSelect('e.attendedHours', 'attendedHours')
        .addSelect('e.attendanceRate', 'attendanceRate')
        .addSelect('e.creditHours', 'creditHours')
        .addSelect('p.title', 'programTitle')
        .addSelect('p.kind', 'programKind')
        .addSelect('p.year', 'programYear')
        .addSelect('p.startDate', 'programStart')
        .addSelect('p.endDate', 'programEnd')
        .addSelect('c.name', 'cohortName')
        .addSelect('c.startDate', 'cohortStart')
        .addSelect('c.endDate', 'cohortEnd')
        .where('e.teacherId = :teacherId', { teacherId: teacher.id })
        .getRawMany<Raw>(),
      em
        .createQueryBuilder(Certificate, 'x')
        .select('x.id', 'id')
        .addSelect('x.number', 'number')
        .addSelect('x.status', 'status')
        .addSelect('x.kind', 'kind')
        .addSelect('x.sourceType', 'sourceType')
        .addSelect('x.sourceId', 'sourceId')
        .addSelect('x.issueDate', 'issueDate')
        .where('x.teacherId = :teacherId', { teacherId: teacher.id })
        .orderBy('x.id', 'ASC')
        .getRawMany<Raw>(),
      em
        .createQueryBuilder(Placement, 'pl')
        .innerJoin(Scheme, 's', 's.id = pl.schemeId')
        .innerJoin(Organisation, 'rs', 'rs.id = pl.receivingSchoolId')
        .select('pl.id', 'id')
        .addSelect('pl.schemeId', 'schemeId')
        .addSelect('pl.status', 'status')
        .addSelect('pl.arrivalDate', 'arrivalDate')
        .addSelect('pl.endDate', 'endDate')
        .addSelect('pl.assessment', 'assessment')
        .addSelect('s.title', 'schemeTitle')
        .addSelect('s.kind', 'schemeKind')
        .addSelect('s.year', 'schemeYear')
        .addSelect('s.termStart', 'termStart')
        .addSelect('s.termEnd', 'termEnd')
        .addSelect('rs.name', 'receivingSchoolName')
        .where('pl.teacherId = :teacherId', { teacherId: teacher.id })
        .getRawMany<Raw>(),
      em
        .createQueryBuilder(ExternalCredit, 'xc')
        .select('xc.id', 'id')
        .addSelect('xc.programName', 'programName')
        .addSelect('xc.organiser', 'organiser')
        .addSelect('xc.hours', 'hours')
        .addSelect('xc.creditDate', 'creditDate')
        .addSelect('xc.certificateNumber', 'certificateNumber')
        .where('xc.teacherId = :teacherId', { teacherId: teacher.id })
        .orderBy('xc.creditDate', 'ASC')
        .addOrderBy('xc.id', 'ASC')
        .getRawMany<Raw>(),
    ]);

    const names = new Map(orgs.map((o) => [o.id, o.name]));
    const certsOf = (sourceType: string, sourceId: number) => certificates.filter((c) => c.sourceType === sourceType && Number(c.sourceId) === sourceId).map(certificateDto);

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
        sortKey: `${startDate ?? `${r.programYear}-01-01`}#${String(r.id).padStart(12, '0')}`,
      };
    });
    trainings.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));

    const placementDtos: FilePlacementDto[] = placements
      .map((r) => {
        const status = String(r.status) as PlacementStatus;
        const kind = String(r.schemeKind) as SchemeKind;
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
      ...trainings.filter((t) => t.creditYear !== null && t.creditHours > 0).map((t) => ({ year: t.creditYear!, hours: t.creditHours, external: false })),
      ...externalCredits.map((x) => ({ year: Number(x.date.slice(0, 4)), hours: x.hours, external: true })),
    ];
    const now = this.clock.now();
    const { years, cycles } = summariseCredits(items, Number(shanghaiDate(now).slice(0, 4)), this.config.creditCycleStartYear);

    return {
      teacher: {
        id: teacher.id,
        name: teacher.name,
        idNumber: maskIdNumber(teacher.idNumber),
        gender: teacher.gender,
        schoolId: teacher.schoolId,
        schoolName: names.get(teacher.schoolId) ?? '',
        countyId: teacher.countyId,
        countyName: names.get(teacher.countyId) ?? '',
        stage: teacher.stage,
        subject: teacher.subject,
        title: teacher.title,
      },
      requirement: { yearly: YEARLY_REQUIREMENT, cycle: CYCLE_REQUIREMENT, cycleYears: CYCLE_YEARS, cycleStartYear: this.config.creditCycleStartYear, note: REQUIREMENT_NOTE },
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
    return { body: await teacherFileWorkbook(f), type: XLSX_MIME, disposition: attachment(`teacher-file-${f.teacher.id}-${day}.xlsx`, `教师培训档案-${f.teacher.name}-${day}.xlsx`) };
  }

  /** The file as PDF (same scope as {@link file}). */
  async pdf(actor: Actor, teacherId: number): Promise<Download<Buffer>> {
    const f = await this.file(actor, teacherId);
    const day = f.generatedAt.slice(0, 10).replace(/-/g, '');
    return { body: await teacherFilePdf(f, await loadCjkFonts()), type: PDF_MIME, disposition: attachment(`teacher-file-${f.teacher.id}-${day}.pdf`, `教师培训档案-${f.teacher.name}-${day}.pdf`) };
  }
}
