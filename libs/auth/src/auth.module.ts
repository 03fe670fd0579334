import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '@shipei/core';
import { PeopleModule } from '@shipei/people';
import { AccountsController } from './accounts/accounts.controller';
import { AccountSlips } from './accounts/account-slips.service';
import { AccountsService } from './accounts/accounts.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { LoginAttempts } from './sessions/login-attempts';
import { SessionVersions } from './sessions/session-versions';
import { UsersAccess } from './users.access';

@Module({
  imports: [
    PeopleModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, UsersController, AccountsController],
  providers: [
    AuthService,
    UsersAccess,
    UsersService,
    AccountsService,
    AccountSlips,
    SessionVersions,
    LoginAttempts,
    JwtStrategy,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [UsersAccess, AuthService, UsersService, AccountsService, AccountSlips, SessionVersions, LoginAttempts],
})
export class AuthModule {}
