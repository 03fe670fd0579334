import { Get, Param, Req, Res } from '@nestjs/common';
import { AttendanceService, CheckinService, PassesService, RosterEntryDto } from '@shipei/attendance';
import { Actor, Clock, CurrentActor, IdPipe, PageQuery, Roles, TransactionRunner } from '@shipei/core';
import { CohortsService, ProgramsService } from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { validateInput } from '../shared/forms';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { cohortCrumbs } from './trainer-cohorts.controller';
import { sessionWhen } from './training-view';

/** What the scanner keeps on the phone to judge passes with the network off (GET …/scan/roster). */
export interface ScannerRoster {
  session: {
    id: number;
    cohortId: number;
    title: string;
    startsAt: string;
    endsAt: string;
    /** The check-in window as it stood when the roster was fetched (an early close after that is the server's to apply). */
    opensAt: string;
    closesAt: string;
    lateGraceMinutes: number;
  };
  /** The cohort's trainees (the roster of the session): a pass of anyone else is 不在本班. */
  trainees: { enrolmentId: number; name: string; school: string }[];
  /** The Ed25519 key that verifies passes (JWK, for WebCrypto and the fallback alike). */
  publicKey: { kty: string; crv: string; x: string };
  /** When the server answered (the page shows how old its offline copy is). */
  fetchedAt: string;
}

/**
 * The trainer's phone scanner of personal passes (spec §14): the page, and the roster and key it
 * keeps for offline use. Scans are judged on the device (assets/public/scanner.js), kept in
 * IndexedDB and sent to POST /api/v1/sessions/:id/scans, which checks everything again. Who may
 * open it: the cohort's trainers and the program's owner, as for the session's attendance list
 * (the services below refuse everyone else with 404/403).
 */
@WebController('app/trainer/sessions')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
export class PassScannerController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly attendance: AttendanceService,
    private readonly checkin: CheckinService,
    private readonly passes: PassesService,
    private readonly programs: ProgramsService,
    private readonly cohorts: CohortsService,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** Every trainee of the session's cohort (the list is paged by 200). */
  private async roster(actor: Actor, id: number) {
    const items: RosterEntryDto[] = [];
    for (let page = 1; ; page++) {
      const list = await this.attendance.sessionList(
        actor,
        id,
        await validateInput(PageQuery, { page, pageSize: 200 }, 'query'),
      );
      items.push(...list.items);
      if (!list.items.length || items.length >= list.total) return { session: list.session, items };
    }
  }

  private async context(actor: Actor, cohortId: number) {
    const cohort = await this.tx.read((em) => this.cohorts.get(em, actor, cohortId));
    const program = await this.tx.read((em) => this.programs.get(em, actor, cohort.programId));
    return { cohort, program, crumbs: cohortCrumbs(actor, program, cohort) };
  }

  @Get(':id/scan')
  async scanner(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const list = await this.attendance.sessionList(actor, id, await validateInput(PageQuery, { pageSize: 1 }, 'query'));
    const { cohort, program, crumbs } = await this.context(actor, list.session.cohortId);
    return this.pages.render(
      req,
      reply,
      'trainer/scan',
      {
        title: `扫凭证签到：${list.session.title}`,
        crumbs: [...crumbs, { label: `${list.session.title}：考勤`, href: `/app/trainer/sessions/${id}` }],
        phone: true,
      },
      {
        program,
        cohort,
        session: { ...list.session, when: sessionWhen(list.session.startsAt, list.session.endsAt) },
      },
    );
  }

  /**
   * The roster and key the scanner judges passes with. `no-store` like every personal answer: the
   * scanner's service worker keeps its own copy on the trainer's phone, on purpose (offline-sw.js).
   */
  @Get(':id/scan/roster')
  async scannerRoster(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const { session, items } = await this.roster(actor, id);
    const { program } = await this.context(actor, session.cohortId);
    const code = await this.checkin.code(actor, id);
    const key = await this.passes.publicKey();
    const body: ScannerRoster = {
      session: {
        id: session.id,
        cohortId: session.cohortId,
        title: session.title,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        opensAt: code.opensAt,
        closesAt: code.closesAt,
        lateGraceMinutes: program.lateGraceMinutes,
      },
      trainees: items.map((i) => ({ enrolmentId: i.enrolmentId, name: i.name, school: i.school })),
      publicKey: key.jwk,
      fetchedAt: this.clock.now().toISOString(),
    };
    reply.header('cache-control', 'no-store').send(body);
  }
}
