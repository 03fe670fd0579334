import { Injectable } from '@nestjs/common';
import {
  AccessPolicy,
  Actor,
  Clock,
  ConflictError,
  ForbiddenError,
  lockForUpdate,
  shanghaiDate,
  TransactionRunner,
} from '@shipei/core';
import { AuditService } from '@shipei/audit';
import { User } from '@shipei/auth';
import { EntityManager, In } from 'typeorm';
import { itemsOf, servedRange } from '../placements/placement-view';
import { Placement, SERVING_STATUSES } from '../placements/placement.entity';
import { Scheme } from '../schemes/scheme.entity';
import { fieldError } from '../talent-support.errors';
import { PaymentDto, PlacementStipendDto, RecordPaymentDto, RecordTripDto, TripDto } from './dto/stipend-records.dto';
import { termMonths, yuan } from './proration';
import { StipendPayment } from './stipend-payment.entity';
import { StipendTrip } from './stipend-trip.entity';
import { isPlacementOffice, PLACEMENT_KIND } from '../talent-support.access';

/**
 * What a placement's stipend rests on besides its dates: the trips whose travel is due (schemes
 * that pay travel per trip) and the payments actually made (实发). Each write locks the placement
 * row (MySQL; SQLite serialises writes), so the trip budget and 实发 ≤ 应发 hold under concurrency.
 */
@Injectable()
export class StipendRecordsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  private requireOffice(actor: Actor): void {
    if (!isPlacementOffice(actor)) throw new ForbiddenError();
  }

  /** The placement, visible for writing (404), locked, and one that has served (409 otherwise). */
  private async servingPlacement(em: EntityManager, actor: Actor, id: number): Promise<[Placement, Scheme]> {
    await this.access.require(em, actor, PLACEMENT_KIND, id, 'write');
    const qb = em.createQueryBuilder(Placement, 'p').where('p.id = :id', { id });
    lockForUpdate(qb);
    const p = (await qb.getOne())!;
    if (!SERVING_STATUSES.includes(p.status))
      throw new ConflictError('NOT_SERVING', '教师到岗后才能登记往返或发放记录');
    return [p, await em.findOneByOrFail(Scheme, { id: p.schemeId })];
  }

  async recordTrip(
    actor: Actor,
    id: number,
    dto: RecordTripDto,
    today = shanghaiDate(this.clock.now()),
  ): Promise<PlacementStipendDto> {
    this.requireOffice(actor);
    return this.tx.run(async (em) => {
      const [p, s] = await this.servingPlacement(em, actor, id);
      if (s.travelMode !== 'PER_TRIP')
        throw new ConflictError('TRAVEL_LUMP_SUM', '本计划的交通差旅费为一次性包干，不按次登记');
      const range = servedRange(s, p, today)!;
      if (!range || dto.date < range.from || dto.date > range.to)
        throw fieldError(
          'DATE_OUTSIDE_SERVICE',
          'date',
          `往返日期须在服务期间内（${range?.from ?? p.arrivalDate} 至 ${range?.to ?? s.termEnd}）`,
        );
      const count = await em.count(StipendTrip, { where: { placementId: id } });
      if (count >= s.travelTrips)
        throw new ConflictError('TRIPS_EXCEEDED', `本计划每人每年预算往返 ${s.travelTrips} 次，已全部登记`);
      const { identifiers } = await em.insert(StipendTrip, {
        placementId: id,
        tripDate: dto.date,
        recordedById: actor.userId,
        createdAt: this.clock.now(),
      });
      await this.audit.record(em, actor, {
        action: 'record-trip',
        entity: 'placement',
        entityId: id,
        fields: ['tripDate'],
        note: `trip ${identifiers[0].id}`,
      });
      return this.stipend(em, actor, id, today);
    });
  }

  /**
   * Records a payment to the teacher (实发) for a month of the term. All payments together may not
   * exceed what is due to the teacher so far (409 OVERPAID), so the ledger never shows more paid
   * than earned.
   */
  async recordPayment(
    actor: Actor,
    id: number,
    dto: RecordPaymentDto,
    today = shanghaiDate(this.clock.now()),
  ): Promise<PlacementStipendDto> {
    this.requireOffice(actor);
    return this.tx.run(async (em) => {
      const [p, s] = await this.servingPlacement(em, actor, id);
      if (!termMonths(s.termStart, s.termEnd).includes(dto.month))
        throw fieldError(
          'MONTH_OUTSIDE_TERM',
          'month',
          `月份须在服务期内（${s.termStart.slice(0, 7)} 至 ${s.termEnd.slice(0, 7)}）`,
        );
      if (dto.paidOn > today) throw fieldError('DATE_IN_FUTURE', 'paidOn', '发放日期不能晚于今天');
      const trips = await em.find(StipendTrip, { where: { placementId: id }, order: { tripDate: 'ASC', id: 'ASC' } });
      const due = itemsOf(
        s,
        p,
        today,
        trips.map((t) => t.tripDate),
      ).dueFen;
      const { paid } = (await em
        .createQueryBuilder(StipendPayment, 'sp')
        .select('COALESCE(SUM(sp.amountFen), 0)', 'paid')
        .where('sp.placementId = :id', { id })
        .getRawOne()) as { paid: string | number };
      if (Number(paid) + dto.amountFen > due)
        throw new ConflictError(
          'OVERPAID',
          `实发合计不能超过应发合计：应发 ${yuan(due)} 元，已发 ${yuan(Number(paid))} 元，本次最多 ${yuan(Math.max(0, due - Number(paid)))} 元`,
        );
      await em.insert(StipendPayment, {
        placementId: id,
        month: dto.month,
        amountFen: dto.amountFen,
        paidOn: dto.paidOn,
        paidById: actor.userId,
        createdAt: this.clock.now(),
      });
      await this.audit.record(em, actor, {
        action: 'record-payment',
        entity: 'placement',
        entityId: id,
        fields: ['month', 'amountFen', 'paidOn'],
      });
      return this.stipend(em, actor, id, today);
    });
  }

  /** A placement's stipend: items per month with 应发 and 实发, its trips and payments. */
  async stipend(
    em: EntityManager,
    actor: Actor,
    id: number,
    today = shanghaiDate(this.clock.now()),
  ): Promise<PlacementStipendDto> {
    const p = await this.access.load<Placement>(em, actor, PLACEMENT_KIND, id);
    const s = await em.findOneByOrFail(Scheme, { id: p.schemeId });
    const trips = await em.find(StipendTrip, { where: { placementId: id }, order: { tripDate: 'ASC', id: 'ASC' } });
    const payments = await em.find(StipendPayment, { where: { placementId: id }, order: { month: 'ASC', id: 'ASC' } });
    const items = itemsOf(
      s,
      p,
      today,
      trips.map((t) => t.tripDate),
    );
    const byMonth = new Map(items.months.map((m) => [m.month, { ...m, paidFen: 0 }]));
    for (const pay of payments) {
      let m = byMonth.get(pay.month);
      if (!m)
        byMonth.set(
          pay.month,
          (m = { month: pay.month, days: 0, workFen: 0, travelFen: 0, insuranceFen: 0, dueFen: 0, paidFen: 0 }),
        );
      m.paidFen += pay.amountFen;
    }
    const users = payments.length
      ? await em.find(User, {
          where: { id: In([...new Set(payments.map((x) => x.paidById))]) },
          select: { id: true, displayName: true, username: true },
        })
      : [];
    const userName = new Map(users.map((u) => [u.id, u.displayName || u.username]));
    const paidFen = payments.reduce((n, x) => n + x.amountFen, 0);
    return {
      placementId: p.id,
      daysServed: items.daysServed,
      months: [...byMonth.values()].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0)),
      workFen: items.workFen,
      travelFen: items.travelFen,
      insuranceFen: items.insuranceFen,
      dueFen: items.dueFen,
      paidFen,
      totalFen: items.totalFen,
      trips: trips.map((t): TripDto => ({ id: t.id, date: t.tripDate })),
      payments: payments.map((x): PaymentDto => ({
        id: x.id,
        month: x.month,
        amountFen: x.amountFen,
        paidOn: x.paidOn,
        paidById: x.paidById,
        paidByName: userName.get(x.paidById) ?? '',
      })),
    };
  }
}
