import { Module } from '@nestjs/common';
import { PlacementsController } from './placements/placements.controller';
import { PlacementsService } from './placements/placements.service';
import { TalentReportsService } from './reports/talent-reports.service';
import { SchemesController } from './schemes/schemes.controller';
import { SchemesService } from './schemes/schemes.service';
import { RuleDefaultsController } from './schemes/rule-defaults.controller';
import { RuleDefaultsService } from './schemes/rule-defaults.service';
import { StipendRecordsService } from './stipend/stipend-records.service';
import { TeamsController } from './teams/teams.controller';
import { TeamsService } from './teams/teams.service';
import { PlacementWarningsModule } from './warnings/placement-warnings.module';
import { TalentSupportAccess } from './talent-support.access';

/**
 * Talent-support schemes (人才支持计划): schemes and county quotas, placements with selection
 * rules and their life cycle, the stipend ledger, the register and dashboard figures.
 * Builds on people (teachers, schools) and audit; other modules use `placementConflicts` and
 * `PlacementsService.serviceCertificateData`.
 */
@Module({
  imports: [PlacementWarningsModule],
  controllers: [SchemesController, PlacementsController, RuleDefaultsController, TeamsController],
  providers: [
    TalentSupportAccess,
    SchemesService,
    PlacementsService,
    TalentReportsService,
    RuleDefaultsService,
    TeamsService,
    StipendRecordsService,
  ],
  exports: [
    TalentSupportAccess,
    SchemesService,
    PlacementsService,
    TalentReportsService,
    RuleDefaultsService,
    TeamsService,
    StipendRecordsService,
  ],
})
export class TalentSupportModule {}
