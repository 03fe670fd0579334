import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import {
  BUILTIN_TEMPLATES,
  BuiltinTemplateName,
  CertificateRenderer,
  CertificateTemplateError,
  CertificateTemplateRef,
} from './rendering';
import { CertificateTemplateVersion } from './certificate-template-version.entity';
import { certificateErrors } from './certificates.errors';
import { Clock } from '@shipei/core';

const CUSTOM = 'custom:';

/**
 * Names the template a certificate is issued with and finds it again when it is printed: a
 * built-in by name, or a program's own template stored once per distinct text (by SHA-256).
 */
@Injectable()
export class CertificateTemplateStore {
  constructor(
    private readonly renderer: CertificateRenderer,
    private readonly clock: Clock,
  ) {}

  /**
   * The template reference for new certificates of a program (`certificateTemplate`: empty → the
   * default; 'default'/'service' → that built-in; other text → its own, checked and stored).
   * 409 CERTIFICATE_TEMPLATE_INVALID when the program's template does not work.
   */
  async versionFor(
    em: EntityManager,
    source: string | null,
    fallback: BuiltinTemplateName = 'default',
  ): Promise<string> {
    const text = source?.trim();
    if (!text) return fallback;
    if ((BUILTIN_TEMPLATES as readonly string[]).includes(text)) return text;
    try {
      this.renderer.validateTemplate(source!);
    } catch (err) {
      if (err instanceof CertificateTemplateError)
        throw certificateErrors.templateInvalid(String(err.details?.reason ?? err.message));
      throw err;
    }
    const hash = createHash('sha256').update(source!, 'utf8').digest('hex');
    // Two issuers storing the same text at once: the unique hash keeps one row, the other is ignored.
    await em
      .createQueryBuilder()
      .insert()
      .into(CertificateTemplateVersion)
      .values({ hash, source: source!, createdAt: this.clock.now() })
      .orIgnore()
      .execute();
    return CUSTOM + hash;
  }

  /** Renderer references for the given stored names. */
  async resolve(em: EntityManager, names: Iterable<string>): Promise<Map<string, CertificateTemplateRef>> {
    const out = new Map<string, CertificateTemplateRef>();
    const hashes: string[] = [];
    for (const name of new Set(names)) {
      if (name.startsWith(CUSTOM)) hashes.push(name.slice(CUSTOM.length));
      else if ((BUILTIN_TEMPLATES as readonly string[]).includes(name)) out.set(name, name as BuiltinTemplateName);
      else throw new Error(`unknown certificate template reference "${name}"`);
    }
    if (hashes.length) {
      const rows = await em.find(CertificateTemplateVersion, { where: { hash: In(hashes) } });
      for (const r of rows) out.set(CUSTOM + r.hash, { source: r.source });
      const missing = hashes.filter((h) => !out.has(CUSTOM + h));
      if (missing.length) throw new Error(`certificate template versions missing: ${missing.join(', ')}`);
    }
    return out;
  }
}
