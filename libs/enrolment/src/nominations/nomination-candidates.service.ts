import { Injectable } from '@nestjs/common';
import { Actor, Page, pageOf } from '@shipei/core';
import { TeacherDto, TeacherQuery, TeachersService, toTeacherDto } from '@shipei/people';
import { Program, ProgramDto, whereEligible } from '@shipei/programs';
import { EntityManager } from 'typeorm';

/**
 * The teachers a county may nominate to a program (推荐教师): the teachers service's scoped,
 * filtered query, narrowed by the program's eligibility rule (`whereEligible`) and by "not yet
 * enrolled in this program". A list to pick from: `EnrolmentsService.nominate` checks it all again.
 */
@Injectable()
export class NominationCandidatesService {
  constructor(private readonly teachers: TeachersService) {}

  async list(em: EntityManager, actor: Actor, program: ProgramDto, q: TeacherQuery): Promise<Page<TeacherDto>> {
    const rule = {
      requirePovertyVillage: program.requirePovertyVillage,
      minBackboneLevel: program.minBackboneLevel,
      stages: program.stages.join(','),
      subjects: program.subjects.join(','),
    } as Program;
    const qb = whereEligible(this.teachers.filtered(em, actor, q), rule, 't').andWhere(
      't.id NOT IN (SELECT ne.teacherId FROM enrolment ne WHERE ne.programId = :nProgram)',
      { nProgram: program.id },
    );
    const [rows, total] = await Promise.all([
      qb.clone().orderBy('t.id', 'ASC').offset(q.offset).limit(q.pageSize).getMany(),
      qb.clone().getCount(),
    ]);
    return pageOf(
      rows.map((t) => toTeacherDto(t)),
      total,
      q,
    );
  }
}
