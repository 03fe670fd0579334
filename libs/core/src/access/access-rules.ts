import { Inject, OnModuleInit } from '@nestjs/common';
import { ObjectLiteral } from 'typeorm';
import { AccessKind, AccessPolicy, AccessRule } from './access-policy';

/** A rule with the kind it guards. */
export interface KindRule<T extends ObjectLiteral = ObjectLiteral> extends AccessRule<T> {
  kind: AccessKind;
}

/** A typed rule for a {@link AccessRules.rules} list (the entity and the scope checked against each other). */
export function kindRule<T extends ObjectLiteral>(kind: AccessKind, rule: AccessRule<T>): KindRule {
  return { kind, ...(rule as AccessRule) };
}

/**
 * The base of each lib's access class (`*.access.ts`): it lists the lib's rules, and they are registered
 * with the policy in `onModuleInit`, not as a side effect of constructing something, so nothing needs
 * to inject an access class only to make its rules exist. Each subclass is an `@Injectable()` provider of its
 * lib's module; this base is not one (`@Inject` names the policy for the subclasses' inherited constructor).
 */
export abstract class AccessRules implements OnModuleInit {
  protected abstract readonly rules: readonly KindRule[];

  constructor(@Inject(AccessPolicy) protected readonly access: AccessPolicy) {}

  onModuleInit(): void {
    for (const rule of this.rules) this.access.register(rule.kind, rule);
  }
}
