import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Actor, AppConfig } from '@shipei/core';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { TokenPayload } from './token';

export const TOKEN_COOKIE = 'shipei_token';

/** The bearer token of a request: the Authorization header, else the pages' session cookie. */
export const tokenFromRequest: (req: any) => string | null = ExtractJwt.fromExtractors([
  ExtractJwt.fromAuthHeaderAsBearerToken(),
  (req: any) => req?.cookies?.[TOKEN_COOKIE] ?? null,
]);

/** passport-jwt: HS256 only, expiry enforced; the token carries the actor, so no database read. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(config: AppConfig) {
    super({
      jwtFromRequest: tokenFromRequest,
      // A KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a PEM public
      // key on every request, which cost ~1 ms per request in bench/teacher-list.bench.ts.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  validate(req: any, payload: TokenPayload & { mcp?: boolean }): Actor & { mustChangePassword: boolean } {
    return {
      userId: payload.sub,
      role: payload.role,
      organisationId: payload.org ?? null,
      countyId: payload.county ?? null,
      teacherId: payload.tch ?? null,
      ip: req.ip,
      requestId: req.id,
      mustChangePassword: !!payload.mcp,
    };
  }
}
