import { DynamicModule, ExecutionContext, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AttendanceModule } from '@shipei/attendance';
import { AuditModule } from '@shipei/audit';
import { AuthModule } from '@shipei/auth';
import { CertificatesModule } from '@shipei/certificates';
import { AllExceptionsFilter, AppConfig, CoreModule, createValidationPipe } from '@shipei/core';
import { PeopleModule } from '@shipei/people';
import { EnrolmentModule } from '@shipei/enrolment';
import { ProgramsModule } from '@shipei/programs';
import { RecordsModule } from '@shipei/records';
import { TalentSupportModule } from '@shipei/talent-support';
import { ENTITIES, MIGRATIONS } from './database/schema';
import { HealthController } from './health/health.controller';
import { WebModule } from './web/web.module';

const hasNoThrottle = (ctx: ExecutionContext): boolean =>
  !Reflect.getMetadata('THROTTLER:LIMITdefault', ctx.getHandler()) && !Reflect.getMetadata('THROTTLER:LIMITdefault', ctx.getClass());

/** The composition root: wires the domain modules to HTTP. No rules live here. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ config, entities: ENTITIES, migrations: MIGRATIONS }),
        // Only routes that declare @Throttle (login, certificate verification) are rate limited:
        // a limit on every route would cap a bureau's legitimate traffic from one NAT address.
        ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: 100_000 }], skipIf: hasNoThrottle }),
        TerminusModule.forRoot({ logger: false }),
        AuditModule,
        AuthModule,
        PeopleModule,
        ProgramsModule,
        EnrolmentModule,
        AttendanceModule,
        CertificatesModule,
        TalentSupportModule,
        RecordsModule,
        WebModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
      ],
    };
  }
}
