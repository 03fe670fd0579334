import { Injectable } from '@nestjs/common';
import {
  AccessPolicy,
  Actor,
  BadInputError,
  Clock,
  CompiledStatements,
  ConflictError,
  hydrate,
  Page,
  pageOf,
  runStatement,
  TransactionRunner,
  whereShape,
} from '@shipei/core';
import { AuditService } from '@shipei/audit';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { followTeachers } from '../credits/credit-ledger';
import { countTeachers } from './teacher-counts';
import { maskIdNumber, maskPhone } from '../identity/mask';
import { normaliseIdNumber, parseResidentId } from '../identity/resident-id';
import { Organisation } from '../organisations/organisation.entity';
import { CreateTeacherDto, TeacherDto, TeacherFieldsDto, TeacherQuery, UpdateTeacherDto } from './dto/teacher.dto';
import { Teacher } from './teacher.entity';
import { actsForCounty, mayRevealIdentity, ORGANISATION_KIND, TEACHER_KIND } from '../people.access';

export function toTeacherDto(t: Teacher, full = false): TeacherDto {
  return {
    id: t.id,
    name: t.name,
    idNumber: full ? t.idNumber : maskIdNumber(t.idNumber),
    gender: t.gender,
    birthDate: t.birthDate,
    phone: full ? t.phone : maskPhone(t.phone),
    schoolId: t.schoolId,
    countyId: t.countyId,
    stage: t.stage,
    subject: t.subject,
    title: t.title,
    backboneLevel: t.backboneLevel,
    teachingStartYear: t.teachingStartYear,
    appraisalsQualified: !!t.appraisalsQualified,
    onProbation: !!t.onProbation,
    specialPost: !!t.specialPost,
    qualificationCertNo: t.qualificationCertNo,
    putonghuaLevel: t.putonghuaLevel ?? null,
  };
}

/** The columns a list row needs (not the timestamps): less to read and hydrate per page. */
const LIST_COLUMNS = [
  'id',
  'name',
  'idNumber',
  'gender',
  'birthDate',
  'phone',
  'schoolId',
  'countyId',
  'stage',
  'subject',
  'title',
  'backboneLevel',
  'teachingStartYear',
  'appraisalsQualified',
  'onProbation',
  'specialPost',
  'qualificationCertNo',
  'putonghuaLevel',
].map((c) => `t.${c}`);

const OPTIONAL_FIELDS: (keyof TeacherFieldsDto)[] = [
  'stage',
  'subject',
  'title',
  'backboneLevel',
  'teachingStartYear',
  'appraisalsQualified',
  'onProbation',
  'specialPost',
  'qualificationCertNo',
  'putonghuaLevel',
];

export type PhoneChangeListener = (em: EntityManager, teacherId: number, phone: string) => Promise<void>;

@Injectable()
export class TeachersService {
  private readonly statements = new CompiledStatements();
  private readonly phoneListeners: PhoneChangeListener[] = [];

  /**
   * Called inside the transaction that changes a teacher's phone (libs/auth moves the teacher's
   * username with it: a teacher logs in with their phone). Registered by libs above this one.
   */
  onPhoneChange(listener: PhoneChangeListener): void {
    this.phoneListeners.push(listener);
  }

  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The school a teacher may be placed at by this actor (a SCHOOL in the actor's county), or 400/404. */
  async schoolFor(em: EntityManager, actor: Actor, schoolId: number): Promise<Organisation> {
    const school = await this.access.load<Organisation>(em, actor, ORGANISATION_KIND, schoolId);
    if (school.type !== 'SCHOOL' || !school.countyId) {
      throw new BadInputError('NOT_A_SCHOOL', '任职单位须为学校', {
        errors: [{ field: 'schoolId', message: '任职单位须为学校' }],
      });
    }
    if (!actsForCounty(actor, school.countyId)) {
      throw new BadInputError('NOT_A_SCHOOL', '只能选择本县区的学校', {
        errors: [{ field: 'schoolId', message: '只能选择本县区的学校' }],
      });
    }
    return school;
  }

  /**
   * 409 saying where the 身份证号 or phone is already registered: the school when it is in `countyId`
   * (the county of the record being written), else only "another county" — a county must not learn
   * which school of another county a teacher works at. Never the person.
   */
  async assertUnique(
    em: EntityManager,
    idNumber: string | null,
    phone: string | null,
    countyId: number,
    exceptId?: number,
  ): Promise<void> {
    const where = async (other: Teacher) => {
      if (other.countyId !== countyId) return '其他县区';
      const school = await em.findOne(Organisation, { where: { id: other.schoolId }, select: { name: true } });
      return `「${school?.name ?? '本县区其他学校'}」`;
    };
    const select = { id: true, schoolId: true, countyId: true } as const;
    if (idNumber) {
      const other = await em.findOne(Teacher, { where: { idNumber }, select });
      if (other && other.id !== exceptId)
        throw new ConflictError('DUPLICATE_ID_NUMBER', `该身份证号已在${await where(other)}登记`);
    }
    if (phone) {
      const other = await em.findOne(Teacher, { where: { phone }, select });
      if (other && other.id !== exceptId)
        throw new ConflictError('DUPLICATE_PHONE', `该手机号已被${await where(other)}的教师使用`);
    }
  }

  async create(actor: Actor, dto: CreateTeacherDto): Promise<TeacherDto> {
    const idNumber = normaliseIdNumber(dto.idNumber);
    const info = parseResidentId(idNumber)!;
    return this.tx.run(async (em) => {
      const school = await this.schoolFor(em, actor, dto.schoolId);
      await this.assertUnique(em, idNumber, dto.phone, school.countyId!);
      const now = this.clock.now();
      const row: Partial<Teacher> = {
        name: dto.name,
        idNumber,
        phone: dto.phone,
        gender: info.gender,
        birthDate: info.birthDate,
        schoolId: school.id,
        countyId: school.countyId!,
        backboneLevel: 'NONE',
        createdAt: now,
        updatedAt: now,
      };
      for (const f of OPTIONAL_FIELDS) if (dto[f] !== undefined) (row as any)[f] = dto[f];
      const { identifiers } = await em.insert(Teacher, row);
      const id = Number(identifiers[0].id);
      await countTeachers(em, [{ schoolId: school.id, countyId: school.countyId!, teachers: 1 }]);
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'teacher',
        entityId: id,
        fields: Object.keys(dto),
      });
      return toTeacherDto(await em.findOneByOrFail(Teacher, { id }));
    });
  }

  async update(actor: Actor, id: number, dto: UpdateTeacherDto): Promise<TeacherDto> {
    return this.tx.run(async (em) => {
      const teacher = await this.access.load<Teacher>(em, actor, TEACHER_KIND, id, 'write');
      const patch: Partial<Teacher> = {};
      if (dto.name !== undefined) patch.name = dto.name;
      if (dto.phone !== undefined && dto.phone !== teacher.phone) {
        await this.assertUnique(em, null, dto.phone, teacher.countyId, teacher.id);
        patch.phone = dto.phone;
        for (const listener of this.phoneListeners) await listener(em, teacher.id, dto.phone);
      }
      if (dto.schoolId !== undefined && dto.schoolId !== teacher.schoolId) {
        const school = await this.schoolFor(em, actor, dto.schoolId);
        patch.schoolId = school.id;
        patch.countyId = school.countyId!;
      }
      for (const f of OPTIONAL_FIELDS) if (dto[f] !== undefined) (patch as any)[f] = dto[f];
      if (Object.keys(patch).length) {
        await em.update(Teacher, { id: teacher.id }, { ...patch, updatedAt: this.clock.now() });
        // The credit table keeps each teacher's county and school: they move with the teacher.
        if (patch.schoolId !== undefined) {
          await followTeachers(em, [teacher.id]);
          await countTeachers(em, [
            { schoolId: teacher.schoolId, countyId: teacher.countyId, teachers: -1 },
            { schoolId: patch.schoolId, countyId: patch.countyId!, teachers: 1 },
          ]);
        }
        await this.audit.record(em, actor, {
          action: 'update',
          entity: 'teacher',
          entityId: teacher.id,
          fields: Object.keys(patch),
        });
      }
      return toTeacherDto(await em.findOneByOrFail(Teacher, { id: teacher.id }));
    });
  }

  /** One teacher; a CITY_ADMIN may ask for the full 身份证号 and phone, which is audited. */
  async get(em: EntityManager, actor: Actor, id: number, full = false): Promise<TeacherDto> {
    const teacher = await this.access.load<Teacher>(em, actor, TEACHER_KIND, id);
    const reveal = full && mayRevealIdentity(actor);
    if (reveal)
      await this.tx.run((wem) =>
        this.audit.record(wem, actor, {
          action: 'reveal',
          entity: 'teacher',
          entityId: id,
          fields: ['idNumber', 'phone'],
        }),
      );
    return toTeacherDto(teacher, reveal);
  }

  /** The scoped, filtered query behind the list and the export. Served by idx_teacher_county / idx_teacher_school. */
  filtered(
    em: EntityManager,
    actor: Actor,
    q: Omit<TeacherQuery, 'page' | 'pageSize' | 'offset'>,
  ): SelectQueryBuilder<Teacher> {
    const qb = this.access.query<Teacher>(em, actor, TEACHER_KIND, 't');
    if (q.countyId) qb.andWhere('t.countyId = :countyId', { countyId: q.countyId });
    if (q.schoolId) qb.andWhere('t.schoolId = :schoolId', { schoolId: q.schoolId });
    if (q.stage) qb.andWhere('t.stage = :stage', { stage: q.stage });
    if (q.subject) qb.andWhere('t.subject = :subject', { subject: q.subject });
    if (q.title) qb.andWhere('t.title = :title', { title: q.title });
    if (q.backboneLevel) qb.andWhere('t.backboneLevel = :bl', { bl: q.backboneLevel });
    if (q.povertyVillage !== undefined || q.receivingSchool !== undefined) {
      const sub = em.createQueryBuilder(Organisation, 's').select('s.id').where('s.type = :st', { st: 'SCHOOL' });
      if (q.povertyVillage !== undefined) sub.andWhere('s.povertyVillage = :pv', { pv: q.povertyVillage });
      if (q.receivingSchool !== undefined) sub.andWhere('s.receivingSchool = :rs', { rs: q.receivingSchool });
      qb.andWhere(`t.schoolId IN (${sub.getQuery()})`, sub.getParameters());
    }
    if (q.q) {
      if (/^1\d{10}$/.test(q.q)) qb.andWhere('t.phone = :phone', { phone: q.q });
      else qb.andWhere('t.name LIKE :name', { name: `${q.q.replace(/[%_\\]/g, '\\$&')}%` });
    }
    return qb;
  }

  /**
   * A page in id order plus the total. With a county filter or scope both statements are served by
   * idx_teacher_county (countyId, id): the page walks the index and stops after pageSize entries;
   * the total counts the county's index entries (covering). COUNT(*) rather than getCount()'s
   * COUNT(DISTINCT id): there is no join to de-duplicate, and SQLite evaluates DISTINCT through a
   * temporary b-tree (bench/teacher-list.bench.ts).
   */
  async list(em: EntityManager, actor: Actor, q: TeacherQuery): Promise<Page<TeacherDto>> {
    const qb = this.filtered(em, actor, q);
    // The filters' shape fixes the SQL: built once per shape, bound per call (see CompiledStatements).
    const shape = whereShape(qb);
    const pageSql = this.statements.text(`page\n${shape}`, () =>
      qb.clone().select(LIST_COLUMNS).orderBy('t.id', 'ASC').getQuery(),
    );
    const countSql = this.statements.text(`count\n${shape}`, () => qb.clone().select('COUNT(*)', 'cnt').getQuery());
    const params = qb.getParameters();
    const [rows, [count]] = await Promise.all([
      runStatement(em, `${pageSql} LIMIT ${Number(q.pageSize)} OFFSET ${Number(q.offset)}`, params),
      runStatement<{ cnt: number | string }>(em, countSql, params),
    ]);
    return pageOf(
      rows.map((r) => toTeacherDto(hydrate<Teacher>(em, Teacher, r, 't'))),
      Number(count?.cnt ?? 0),
      q,
    );
  }
}
