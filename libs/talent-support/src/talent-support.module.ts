import { Module } from '@nestjs/common';
import { PlacementsController } from './placements/placements.controller';
import { PlacementsService } from './placements/placements.service';
import { TalentReportsService } from './reports/talent-reports.service';
import { SchemesController } from './schemes/schemes.controller';
import { SchemesService } from './schemes/schemes.service';
import { PlacementWarningsModule } from './warnings/placement-warnings.module';

/**
 * Talent-support schemes (人才支持计划): schemes and county quotas, placements with selection
 * rules and their life cycle, the stipend ledger, the register and dashboard figures.
 * Builds on people (teachers, schools) and audit; other modules use `placementConflicts` and
 * `PlacementsService.serviceCertificateData`.
 */
@Module({
  imports: [PlacementWarningsModule],
  controllers: [SchemesController, PlacementsController],
  providers: [SchemesService, PlacementsService, TalentReportsService],
  exports: [SchemesService, PlacementsService, TalentReportsService],
})
export class TalentSupportModule {}
