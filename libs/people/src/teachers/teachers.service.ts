import { Injectable } from '@nestjs/common';
import {
  AccessPolicy,
  Actor,
  BadInputError,
  Clock,
  CompiledStatements,
  ConflictError,
  hydrate,
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
import {
  CreateTeacherDto,
  TeacherDto,
  TeacherFieldsDto,
  TeacherPageDto,
  TeacherQuery,
  UpdateTeacherDto,
} from './dto/teacher.dto';
import { decodeCursor, encodeCursor } from './teacher-cursor';
import { TeacherTally } from './teacher-tally.service';
import { TeacherTotals } from './teacher-totals';
import { Teacher } from './teacher.entity';
import {
  actsForCounty,
  mayRevealIdentity,
  ORGANISATION_KIND,
  overseesAllCounties,
  TEACHER_KIND,
} from '../people.access';

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
    private readonly tally: TeacherTally,
  ) {
    this.totals = new TeacherTotals(tally);
  }

  private readonly totals: TeacherTotals;

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
      await this.tally.add(em, school.countyId!, 1);
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
        if (patch.countyId !== undefined) await this.tally.moved(em, teacher.countyId, patch.countyId);
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

  /** The actor's teachers, narrowed to the county asked for (access scope: idx_teacher_county). */
  private scoped(em: EntityManager, actor: Actor, q: { countyId?: number }): SelectQueryBuilder<Teacher> {
    const qb = this.access.query<Teacher>(em, actor, TEACHER_KIND, 't');
    if (q.countyId) qb.andWhere('t.countyId = :countyId', { countyId: q.countyId });
    return qb;
  }

  /** The filters beyond the county, as conditions on alias `t` (each served by an index with the county or alone). */
  private conditions(em: EntityManager, q: TeacherFilters): Condition[] {
    const out: Condition[] = [];
    if (q.schoolId) out.push({ sql: 't.schoolId = :schoolId', params: { schoolId: q.schoolId } });
    if (q.stage) out.push({ sql: 't.stage = :stage', params: { stage: q.stage } });
    if (q.subject) out.push({ sql: 't.subject = :subject', params: { subject: q.subject } });
    if (q.title) out.push({ sql: 't.title = :title', params: { title: q.title } });
    if (q.backboneLevel) out.push({ sql: 't.backboneLevel = :bl', params: { bl: q.backboneLevel } });
    if (q.povertyVillage !== undefined || q.receivingSchool !== undefined) {
      const sub = em.createQueryBuilder(Organisation, 's').select('s.id').where('s.type = :st', { st: 'SCHOOL' });
      if (q.povertyVillage !== undefined) sub.andWhere('s.povertyVillage = :pv', { pv: q.povertyVillage });
      if (q.receivingSchool !== undefined) sub.andWhere('s.receivingSchool = :rs', { rs: q.receivingSchool });
      out.push({ sql: `t.schoolId IN (${sub.getQuery()})`, params: sub.getParameters() });
    }
    if (q.q) {
      if (isPhoneSearch(q.q)) out.push({ sql: 't.phone = :phone', params: { phone: q.q } });
      else out.push({ sql: 't.name LIKE :name', params: { name: `${q.q.replace(/[%_\\]/g, '\\$&')}%` } });
    }
    return out;
  }

  /** The scoped, filtered query behind the list and the export. */
  filtered(em: EntityManager, actor: Actor, q: TeacherFilters): SelectQueryBuilder<Teacher> {
    const qb = this.scoped(em, actor, q);
    for (const c of this.conditions(em, q)) qb.andWhere(c.sql, c.params);
    return qb;
  }

  /** The county a list is limited to (for the tally), 'ALL' for the city's whole list, null when unknown. */
  private countyOf(actor: Actor, q: TeacherFilters): number | 'ALL' | null {
    if (overseesAllCounties(actor)) return q.countyId ?? 'ALL';
    if (actor.role === 'COUNTY_ADMIN' && actor.countyId && (!q.countyId || q.countyId === actor.countyId))
      return actor.countyId;
    return null;
  }

  /**
   * A page and its total, each at a cost that does not grow with the province (issue 21). The page is
   * in id order — or (name, id) order for a name search — and is a range walk of the filter's index
   * (migration 1796720000000) that stops after pageSize + 1 rows (the extra row says whether there is
   * a next page): `after=` / `before=` cursors seek to their key, so page 500 costs what page 1 does;
   * `page=` alone still skips `offset` rows (kept for the first pages and old clients). The total is
   * {@link TeacherTotals}': the county tally, a count capped at 10,000, or an estimate past it.
   */
  async list(em: EntityManager, actor: Actor, q: TeacherQuery): Promise<TeacherPageDto> {
    if (q.after && q.before) {
      const message = 'after 与 before 只能指定一个';
      throw new BadInputError('CURSOR_AMBIGUOUS', message, { errors: [{ field: 'before', message }] });
    }
    const byName = !!q.q && !isPhoneSearch(q.q);
    const backwards = !!q.before;
    const cursor = q.after
      ? decodeCursor(q.after, byName, 'after')
      : q.before
        ? decodeCursor(q.before, byName, 'before')
        : null;
    const scoped = this.scoped(em, actor, q);
    const filters = this.conditions(em, q);
    const filtered = scoped.clone();
    for (const c of filters) filtered.andWhere(c.sql, c.params);
    const qb = filtered.clone();
    if (cursor) {
      const [lt, le] = backwards ? ['<', '<='] : ['>', '>='];
      if (cursor.byName)
        qb.andWhere(`t.name ${le} :kName AND (t.name ${lt} :kName OR t.id ${lt} :kId)`, {
          kName: cursor.name,
          kId: cursor.id,
        });
      else qb.andWhere(`t.id ${lt} :kId`, { kId: cursor.id });
    }
    const dir = backwards ? 'DESC' : 'ASC';
    // The filters' shape fixes the SQL: built once per shape, bound per call (see CompiledStatements).
    const pageSql = this.statements.text(`page\n${dir}\n${byName}\n${whereShape(qb)}`, () => {
      const b = qb.clone().select(LIST_COLUMNS);
      if (byName) b.orderBy('t.name', dir).addOrderBy('t.id', dir);
      else b.orderBy('t.id', dir);
      return b.getQuery();
    });
    const size = Number(q.pageSize);
    const offset = cursor ? 0 : Number(q.offset);
    const [rows, total] = await Promise.all([
      runStatement(em, `${pageSql} LIMIT ${size + 1} OFFSET ${offset}`, qb.getParameters()),
      this.totals.of(em, { county: this.countyOf(actor, q), scoped, filters, filtered }),
    ]);
    const more = rows.length > size;
    const teachers = rows.slice(0, size).map((r) => hydrate<Teacher>(em, Teacher, r, 't'));
    if (backwards) teachers.reverse();
    const key = (t: Teacher) =>
      encodeCursor(byName ? { byName: true, name: t.name, id: t.id } : { byName: false, id: t.id });
    const first = teachers[0];
    const last = teachers[teachers.length - 1];
    const next = backwards ? (last ? key(last) : (q.before ?? null)) : more && last ? key(last) : null;
    const prev = backwards
      ? more && first
        ? key(first)
        : null
      : first && (cursor || offset > 0)
        ? key(first)
        : (q.after ?? null);
    return {
      items: teachers.map((t) => toTeacherDto(t)),
      total: total.total,
      totalExact: total.exact,
      page: q.page,
      pageSize: q.pageSize,
      next,
      prev,
    };
  }
}

type TeacherFilters = Omit<TeacherQuery, 'page' | 'pageSize' | 'offset' | 'after' | 'before'>;
type Condition = { sql: string; params: Record<string, unknown> };

/** `q` is a whole mobile number: an exact phone lookup (uq_teacher_phone), not a name prefix. */
const isPhoneSearch = (q: string): boolean => /^1\d{10}$/.test(q);
