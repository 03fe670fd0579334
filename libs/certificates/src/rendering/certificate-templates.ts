import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { calendarDateZh } from '@shipei/core';
import { CertificateLayout, parseCertificateLayout } from './certificate-layout';
import { CertificateTemplateError } from './certificate-rendering.errors';
import { CertificateTemplateContext, CertificateView, isIsoDate, toTemplateContext } from './certificate-view';

/** Templates shipped in `libs/certificates/assets/templates/<name>.hbs`. */
export const BUILTIN_TEMPLATES = ['default', 'service'] as const;
export type BuiltinTemplateName = (typeof BUILTIN_TEMPLATES)[number];

/** A built-in template by name, or a program's own template source (Handlebars, layout format). */
export type CertificateTemplateRef = BuiltinTemplateName | { source: string };

/** A compiled, validated template: certificate data in, layout out. */
export interface CompiledCertificateTemplate {
  readonly name: string;
  render(view: CertificateView): CertificateLayout;
}

export const MAX_TEMPLATE_LENGTH = 20_000;
/** Custom templates kept compiled; the oldest is dropped beyond this (programs rarely exceed it). */
const CUSTOM_CACHE_SIZE = 64;

const HELPERS = { date: formatChineseDate, hours: formatHours, training: formatTraining };
const COMPILE_OPTIONS: CompileOptions = {
  noEscape: true,
  knownHelpers: { date: true, hours: true, training: true },
  knownHelpersOnly: true,
};

/** A template is tried on this before it is accepted, so runtime errors surface when it is saved. */
const SAMPLE_VIEW: CertificateView = {
  holderName: '张三',
  schoolName: '临沂第一中学',
  programTitle: '2019年临沂市骨干教师培训',
  startDate: '2019-07-01',
  endDate: '2019-07-10',
  creditHours: 24,
  number: 'LYGG2019-0001',
  issuer: '临沂市教育局',
  issueDate: '2019-07-15',
  verifyUrl: 'https://example.invalid/v/SAMPLE',
  extra: {},
};

type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;

/**
 * Compiles certificate templates once and keeps them: built-ins on first use, custom sources keyed by
 * their text. Uses its own Handlebars environment, so global helpers or partials cannot leak in.
 */
export class CertificateTemplates {
  private readonly hb = Handlebars.create();
  private readonly builtins = new Map<BuiltinTemplateName, CompiledCertificateTemplate>();
  private readonly custom = new Map<string, CompiledCertificateTemplate>();

  constructor(private readonly templateDir = defaultTemplateDir()) {
    for (const [name, helper] of Object.entries(HELPERS)) this.hb.registerHelper(name, helper);
  }

  resolve(ref: CertificateTemplateRef): CompiledCertificateTemplate {
    if (typeof ref === 'string') return this.builtin(ref);
    if (ref && typeof ref === 'object' && typeof ref.source === 'string') return this.compile(ref.source);
    throw new CertificateTemplateError('未指定模板');
  }

  builtin(name: BuiltinTemplateName): CompiledCertificateTemplate {
    let compiled = this.builtins.get(name);
    if (!compiled) {
      if (!(BUILTIN_TEMPLATES as readonly string[]).includes(name)) {
        throw new CertificateTemplateError(`没有名为 ${String(name)} 的内置模板`);
      }
      const file = join(this.templateDir, `${name}.hbs`);
      let source: string;
      try {
        source = readFileSync(file, 'utf8');
      } catch (err) {
        // A missing asset is a packaging bug, not bad input: fail loudly with the path we looked at.
        throw new Error(`Certificate template asset not found: ${file}`, { cause: err });
      }
      compiled = this.compileUncached(source, name);
      this.builtins.set(name, compiled);
    }
    return compiled;
  }

  /**
   * Compiles a program's template, or returns it from the cache. Throws `CertificateTemplateError`
   * if it does not compile, fails on sample data, or does not produce a valid layout.
   */
  compile(source: string): CompiledCertificateTemplate {
    const cached = this.custom.get(source);
    if (cached) {
      // Refresh its place so the cache drops the least recently used template.
      this.custom.delete(source);
      this.custom.set(source, cached);
      return cached;
    }
    const compiled = this.compileUncached(source, 'custom');
    if (this.custom.size >= CUSTOM_CACHE_SIZE) this.custom.delete(this.custom.keys().next().value as string);
    this.custom.set(source, compiled);
    return compiled;
  }

  private compileUncached(source: string, name: string): CompiledCertificateTemplate {
    if (typeof source !== 'string' || source.trim() === '') throw new CertificateTemplateError('模板为空');
    if (source.length > MAX_TEMPLATE_LENGTH) throw new CertificateTemplateError(`模板超过 ${MAX_TEMPLATE_LENGTH} 字`);
    let fn: Handlebars.TemplateDelegate<CertificateTemplateContext>;
    try {
      fn = this.hb.compile<CertificateTemplateContext>(source, COMPILE_OPTIONS);
    } catch (err) {
      throw new CertificateTemplateError(firstLines(err), { template: name });
    }
    const render = (view: CertificateView): CertificateLayout => {
      let text: string;
      try {
        text = fn(toTemplateContext(view));
      } catch (err) {
        throw new CertificateTemplateError(firstLines(err), { template: name });
      }
      return parseCertificateLayout(text);
    };
    // Handlebars compiles lazily: running the sample forces parsing and catches runtime errors now.
    render(SAMPLE_VIEW);
    return { name, render };
  }
}

/** `libs/certificates/assets/templates`, from the source tree or the same layout under the build output. */
export function defaultTemplateDir(): string {
  return resolve(__dirname, '..', '..', 'assets', 'templates');
}

/** 2019-07-01 → 2019年7月1日; anything else is printed unchanged. */
export function formatChineseDate(value: unknown): string {
  return isIsoDate(value) ? calendarDateZh(value) : value == null ? '' : String(value);
}

/** 24 → "24", 24.5 → "24.5", 2.3333 → "2.33". */
export function formatHours(value: unknown): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return value == null ? '' : String(value);
  return String(Math.round(n * 100) / 100);
}

/**
 * A program title as the object of 参加: “X”培训, or just “X” when the title already names the training
 * (…骨干教师培训, …研修班), so a certificate never reads 参加“…培训”培训.
 */
export function formatTraining(value: unknown): string {
  const title = value == null ? '' : String(value).trim();
  return /(培训|研修|培训班|研修班|训练营)$/.test(title) ? `“${title}”` : `“${title}”培训`;
}

function firstLines(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n').slice(0, 3).join(' ').slice(0, 300);
}
